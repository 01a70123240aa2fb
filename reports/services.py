"""Writes on tertial reports: create, edit the text, make final, order a batch.

A final report is an official document: its figures and text are stored when it is made
final, and nothing here changes it afterwards."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Programme
from stodperson.errors import ServiceError
from stodperson.tasks import enqueue
from stodperson.tertials import Tertial

from .figure_types import ReportFigures
from .figures import FIGURES_VERSION, compute_figures, compute_figures_for_tertials
from .models import DUPLICATE_REPORT, ReportBatch, TertialReport
from .narrative import generated_texts

TEXT_FIELDS = [
    "activities_text",
    "support_persons_text",
    "assignments_text",
    "planned_actions_text",
]
# A batch is one request's work; a larger one is a sign of a mistake in the form.
MAX_BATCH_ITEMS = 60


def report_figures(report: TertialReport) -> ReportFigures:
    """The figures the report shows: a final report's stored ones; a draft's as last
    computed, computed now if they never were or are of an older kind (after an update)."""
    if report.is_final or (
        report.figures_computed_at is not None and report.figures.get("version") == FIGURES_VERSION
    ):
        return cast(ReportFigures, report.figures)
    return cast(ReportFigures, report_refresh_figures(report=report).figures)


def report_refresh_figures(*, report: TertialReport, today: date | None = None) -> TertialReport:
    """Compute a draft's figures from the register as it is now, and keep them."""
    if report.is_final:
        raise ServiceError(_("The report is final and can no longer be changed."))
    report.figures = compute_figures(report.programme, report.period, today=today)
    report.figures_computed_at = timezone.now()
    _store_draft_figures(report)
    return report


def _store_draft_figures(report: TertialReport) -> None:
    """The figures only (an administrator may be saving the text at the same moment), and
    only while the report is a draft (one made final meanwhile keeps the figures stored
    then)."""
    TertialReport.objects.filter(pk=report.pk, status=TertialReport.Status.DRAFT).update(
        figures=report.figures, figures_computed_at=report.figures_computed_at
    )


def refresh_draft_figures(*, today: date | None = None) -> int:
    """The nightly run: every draft's figures computed again, a programme's drafts together
    (compute_figures_for_tertials reads the register once for all of them). Returns how
    many drafts there were."""
    drafts = list(
        TertialReport.objects.filter(status=TertialReport.Status.DRAFT)
        .select_related("programme")
        .order_by("programme_id", "year", "tertial")
    )
    by_programme: dict[int, list[TertialReport]] = {}
    for report in drafts:
        by_programme.setdefault(report.programme_id, []).append(report)
    for reports in by_programme.values():
        computed = compute_figures_for_tertials(
            reports[0].programme, [r.period for r in reports], today=today
        )
        now = timezone.now()
        for report, figures in zip(reports, computed, strict=True):
            report.figures, report.figures_computed_at = figures, now
            _store_draft_figures(report)
    return len(drafts)


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
        raise ServiceError(str(DUPLICATE_REPORT))
    figures = compute_figures(programme, period, today=today)
    try:
        with transaction.atomic():
            return TertialReport.objects.create(
                programme=programme,
                year=year,
                tertial=tertial,
                figures=figures,
                figures_computed_at=timezone.now(),
                **generated_texts(figures),
            )
    except IntegrityError as error:
        # Two administrators creating the same report at once.
        raise ServiceError(str(DUPLICATE_REPORT)) from error


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
    """Compute the figures again and replace the sections with the sentences generated
    from them."""
    locked = report_refresh_figures(report=_locked_draft(report), today=today)
    return report_update_texts(report=locked, texts=generated_texts(locked.figures), by=by)


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
    enqueue("reports.tasks.produce_batch", batch.pk)
    return batch


def batch_restart(*, batch: ReportBatch) -> None:
    """Send a waiting batch's task again (after the broker was down)."""
    if batch.status == ReportBatch.Status.PENDING:
        enqueue("reports.tasks.produce_batch", batch.pk)
