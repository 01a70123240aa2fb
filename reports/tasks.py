"""Celery tasks: thin wrappers around batches.py, which `manage.py produce_report_batches`
calls too, and the nightly figures of the drafts."""

from __future__ import annotations

from celery import shared_task

from assignments.tasks import RETRY_POLICY

from . import batches, services


@shared_task(name="reports.tasks.produce_batch")
def produce_batch(batch_id: int) -> bool:
    return batches.produce_batch(batch_id)


@shared_task(name="reports.tasks.refresh_draft_figures", **RETRY_POLICY)
def refresh_draft_figures() -> int:
    return services.refresh_draft_figures()
