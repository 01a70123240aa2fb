"""Celery tasks: thin wrappers around checks.py and notifications.py, which
`manage.py run_checks` calls too. The beat schedule is in settings (CELERY_BEAT_SCHEDULE).

A database that is briefly away (a restart, a failover) makes a task retry with an
exponential backoff. A broker that is down must never break a page: code that enqueues
from a request uses `enqueue`, which sends after the commit and logs a failure to send.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import kombu.exceptions
import redis.exceptions
from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from . import checks, notifications, retention

logger = logging.getLogger(__name__)

# OperationalError (the database went away) is a DatabaseError.
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}

# What publishing raises when the broker cannot be reached: kombu wraps the transport's
# error in its OperationalError; a refused socket is an OSError.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)


def _day(today: str | None) -> date | None:
    # Task arguments travel as JSON, so a date comes as "YYYY-MM-DD".
    return date.fromisoformat(today) if today else None


@shared_task(name="assignments.tasks.run_daily_checks", **RETRY_POLICY)
def run_daily_checks(today: str | None = None) -> dict[str, int]:
    """Every check, then the digest (which sends nothing twice on a day, so a retry after
    a failure in the digest is safe)."""
    results = checks.run_checks(today=_day(today))
    digest = notifications.send_daily_digests(today=_day(today))
    summary = {result.kind: result.open for result in results}
    summary["digests_sent"] = digest.sent
    return summary


@shared_task(name="assignments.tasks.run_request_checks", **RETRY_POLICY)
def run_request_checks(today: str | None = None) -> dict[str, int]:
    """The request clock alone, hourly in working hours: a late request should not wait
    for the night."""
    results = checks.run_checks(today=_day(today), only=[checks.Kind.REQUEST_LATE])
    return {result.kind: result.open for result in results}


@shared_task(name="assignments.tasks.send_digests", **RETRY_POLICY)
def send_digests(today: str | None = None) -> dict[str, int]:
    """The digest alone: the morning's second chance when the checks' run could not send
    (it sends nothing to anyone who already had today's)."""
    result = notifications.send_daily_digests(today=_day(today))
    return {"sent": result.sent, "failed": result.failed}


@shared_task(name="assignments.tasks.run_retention", **RETRY_POLICY)
def run_retention(today: str | None = None) -> dict[str, int]:
    """The monthly retention run. It only anonymises where the deployment says so
    (RETENTION_AUTO_APPLY); otherwise it is a dry run, logged for an administrator to act on."""
    result = retention.apply_retention(
        today=_day(today) or timezone.localdate(),
        years=settings.RETENTION_YEARS,
        dry_run=not settings.RETENTION_AUTO_APPLY,
    )
    return {"clients": result.clients, "support_persons": result.support_persons}


def enqueue(task: Task[Any, Any], *args: Any) -> None:
    """Send the task once the current transaction commits (so the worker sees the data),
    and never let a broker that is down break the caller: log it instead. The nightly run
    catches up whatever was not sent."""

    def send() -> None:
        try:
            # No publish retries: a page must not hang waiting for a broker that is down.
            task.apply_async(args=args, retry=False)
        except BROKER_ERRORS:
            logger.exception("Could not enqueue %s: the broker cannot be reached", task.name)

    transaction.on_commit(send)
