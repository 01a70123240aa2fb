"""Celery tasks: thin wrappers around batches.py (which `manage.py produce_report_batches`
calls too), the nightly figures of the drafts, and the monthly retention run."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from stodperson.tasks import RETRY_POLICY, task_day

from . import batches, retention, services


@shared_task(name="reports.tasks.produce_batch")
def produce_batch(batch_id: int) -> bool:
    return batches.produce_batch(batch_id)


@shared_task(name="reports.tasks.refresh_draft_figures", **RETRY_POLICY)
def refresh_draft_figures() -> int:
    return services.refresh_draft_figures()


@shared_task(name="reports.tasks.run_retention", **RETRY_POLICY)
def run_retention(today: str | None = None) -> dict[str, int]:
    """The monthly retention run. It only anonymises where the deployment says so
    (RETENTION_AUTO_APPLY); otherwise it is a dry run, logged for an administrator to act on."""
    result = retention.apply_retention(
        today=task_day(today) or timezone.localdate(),
        years=settings.RETENTION_YEARS,
        dry_run=not settings.RETENTION_AUTO_APPLY,
    )
    return {"clients": result.clients, "support_persons": result.support_persons}
