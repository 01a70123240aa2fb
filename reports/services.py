"""Writes on tertial reports: create, edit the text, make final, order a batch.

A final report is an official document: its figures and text are stored when it is made
final, and nothing here changes it afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.tasks import enqueue
from clients.models import Programme
from stodperson.errors import ServiceError

from .figures import compute_figures
from .models import ReportBatch, TertialReport
from .narrative import generated_texts
from .tertials import Tertial

TEXT_FIELDS = [
    "activities_text",
    "support_persons_text",
    "assignments_text",
    "planned_actions_text",
]
# A batch is one request's work; a larger one is a sign of a mistake in the form.
MAX_BATCH_ITEMS = 60


def report_figures(report: TertialReport, *, today: date | None = None) -> dict[str, Any]:
    """A final report's stored figures; a draft's computed now."""
    if report.is_final:
        return report.figures
    return compute_figures(report.programme, report.period, today=today)


def report_texts(report: TertialReport) -> dict[str, str]:
    return {name: getattr(report, name) for name in TEXT_FIELDS}


@transaction.atomic
def report_create(
    *, programme: Programme, year: int, tertial: int, by: User, today: date | None = None
) -> TertialReport:
    """A draft, its sections prefilled with sentences from the figures."""
    period = Tertial(year, tertial)
    today = today or timezone.localdate()
    if period.first_day > today:
        raise ServiceError(_("That tertial has not begun yet."))
    if TertialReport.objects.filter(programme=programme, year=year, tertial=tertial).exists():
        raise ServiceError(_("There is already a report for that programme and tertial."))
    texts = generated_texts(compute_figures(programme, period, today=today))
    try:
        with transaction.atomic():
            return TertialReport.objects.create(
                programme=programme, year=year, tertial=tertial, **texts
            )
    except IntegrityError as error:
        # Two administrators creating the same report at once.
        raise ServiceError(
            _("There is already a report for that programme and tertial.")
        ) from error


def _locked_draft(report: TertialReport) -> TertialReport:
    locked = TertialReport.objects.select_for_update().select_related("programme").get(pk=report.pk)
    if locked.is_final:
        raise ServiceError(_("The report is final and can no longer be changed."))
    return locked


@transaction.atomic
def report_update_texts(*, report: TertialReport, texts: dict[str, str], by: User) -> TertialReport:
    locked = _locked_draft(report)
    for name in TEXT_FIELDS:
        if name in texts:
            setattr(locked, name, texts[name])
    locked.save(update_fields=[*TEXT_FIELDS, "updated_at"])
    return locked


@transaction.atomic
def report_regenerate_texts(
    *, report: TertialReport, by: User, today: date | None = None
) -> TertialReport:
    """Replace the sections with the sentences generated from today's figures."""
    locked = _locked_draft(report)
    texts = generated_texts(compute_figures(locked.programme, locked.period, today=today))
    return report_update_texts(report=locked, texts=texts, by=by)


@transaction.atomic
def report_finalise(*, report: TertialReport, by: User, today: date | None = None) -> TertialReport:
    """Store the figures and the text with who and when; from now on the report renders only
    what is stored."""
    locked = _locked_draft(report)
    today = today or timezone.localdate()
    if locked.period.last_day >= today:
        raise ServiceError(_("A report can be made final only after its tertial has ended."))
    locked.figures = compute_figures(locked.programme, locked.period, today=today)
    locked.status = TertialReport.Status.FINAL
    locked.finalised_at = timezone.now()
    locked.finalised_by = by
    locked.save(update_fields=["figures", "status", "finalised_at", "finalised_by", "updated_at"])
    return locked


@transaction.atomic
def batch_create(*, programmes: list[Programme], periods: list[Tertial], by: User) -> ReportBatch:
    """Order every programme's report for every period; the work is a Celery task, sent
    after the commit (and a broker that is down never breaks the page: the batch waits)."""
    from .tasks import produce_batch

    items = [
        {"programme": programme.pk, "year": period.year, "tertial": period.number}
        for programme in programmes
        for period in periods
    ]
    if not items:
        raise ServiceError(_("Choose at least one programme and one tertial."))
    if len(items) > MAX_BATCH_ITEMS:
        raise ServiceError(
            _("At most %(max)s reports at once, not %(count)s.")
            % {"max": MAX_BATCH_ITEMS, "count": len(items)}
        )
    batch = ReportBatch.objects.create(created_by=by, items=items, total=len(items))
    enqueue(produce_batch, batch.pk)
    return batch


def batch_restart(*, batch: ReportBatch) -> None:
    """Send a waiting batch's task again (after the broker was down)."""
    from .tasks import produce_batch

    if batch.status == ReportBatch.Status.PENDING:
        enqueue(produce_batch, batch.pk)
