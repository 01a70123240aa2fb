"""Celery tasks: thin wrappers around batches.py, which `manage.py produce_report_batches`
calls too."""

from __future__ import annotations

from celery import shared_task

from . import batches


@shared_task(name="reports.tasks.produce_batch")
def produce_batch(batch_id: int) -> bool:
    return batches.produce_batch(batch_id)
