"""Celery tasks: thin wrappers around checks.py and notifications.py, which
`manage.py run_checks` calls too. The beat schedule is in settings (CELERY_BEAT_SCHEDULE);
the retry policy and `enqueue` are in stodperson/tasks.py."""

from __future__ import annotations

from celery import shared_task

from stodperson.tasks import RETRY_POLICY, task_day

from . import checks, notifications, volunteer_checks


@shared_task(name="flags.tasks.run_daily_checks", **RETRY_POLICY)
def run_daily_checks(today: str | None = None) -> dict[str, int]:
    """Every check, then the digest (which sends nothing twice on a day, so a retry after
    a failure in the digest is safe)."""
    results = checks.run_checks(today=task_day(today))
    digest = notifications.send_daily_digests(today=task_day(today))
    notices = volunteer_checks.send_background_check_notices(today=task_day(today))
    summary = {result.kind: result.open for result in results}
    summary["digests_sent"] = digest.sent
    summary["background_check_notices_sent"] = notices.sent
    return summary


@shared_task(name="flags.tasks.run_request_checks", **RETRY_POLICY)
def run_request_checks(today: str | None = None) -> dict[str, int]:
    """The request clock alone, hourly in working hours: a late request should not wait
    for the night."""
    results = checks.run_checks(today=task_day(today), only=[checks.Kind.REQUEST_LATE])
    return {result.kind: result.open for result in results}


@shared_task(name="flags.tasks.send_digests", **RETRY_POLICY)
def send_digests(today: str | None = None) -> dict[str, int]:
    """The digest alone: the morning's second chance when the checks' run could not send
    (it sends nothing to anyone who already had today's)."""
    result = notifications.send_daily_digests(today=task_day(today))
    return {"sent": result.sent, "failed": result.failed}
