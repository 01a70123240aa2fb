"""Tertial reports (T1 Jan-Apr, T2 May-Aug, T3 Sep-Dec) on a programme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Programme
from stodperson.access import NOBODY, ScopedQuerySet
from stodperson.tertials import Tertial

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class TertialReportQuerySet(ScopedQuerySet["TertialReport"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """The tertial report is the administrators' work (domain.md, "Users")."""
        return NOBODY

    def for_list(self) -> TertialReportQuerySet:
        """The list of reports: with the programme and who made them final."""
        return self.select_related("programme", "finalised_by").order_by(
            "programme__name", "-year", "-tertial"
        )


DUPLICATE_REPORT = _("There is already a report for this programme and tertial. Open it instead.")


class TertialReport(models.Model):
    """The four-month report to the committee. A final report is frozen: its figures and text
    are stored, so later changes to the data never change it. A draft keeps the figures as
    they were last computed (`figures_computed_at`): each night, when the text is written
    again from them, and when an administrator asks, since computing them reads the
    register's whole history (under a second for a region, too slow for every page view)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="tertial_reports", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(
        _("tertial"), choices=[(1, "T1"), (2, "T2"), (3, "T3")]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_computed_at = models.DateTimeField(_("figures computed"), null=True, blank=True)
    activities_text = models.TextField(_("activities"), blank=True)
    support_persons_text = models.TextField(_("support persons"), blank=True)
    assignments_text = models.TextField(_("assignments"), blank=True)
    planned_actions_text = models.TextField(_("planned actions"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finalised_at = models.DateTimeField(_("made final"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made final by"),
    )

    objects = TertialReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("tertial report")
        verbose_name_plural = _("tertial reports")
        ordering = ["-year", "-tertial", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "tertial"],
                name="tertialreport_unique_period",
                violation_error_code="duplicate",
                violation_error_message=DUPLICATE_REPORT,
            ),
            models.CheckConstraint(
                condition=Q(tertial__gte=1) & Q(tertial__lte=3), name="tertialreport_tertial_1_3"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalised_at__isnull=False),
                name="tertialreport_final_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.period}"

    @property
    def period(self) -> Tertial:
        return Tertial(self.year, self.tertial)

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ReportBatchQuerySet(ScopedQuerySet["ReportBatch"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """Batches of reports, like the reports, are the administrators' work."""
        return NOBODY


class ReportBatch(models.Model):
    """Many reports produced at once (every programme, several tertials) by a Celery task,
    as one zip file in MEDIA_ROOT. `done` counts up as the task works, for the progress
    page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    items = models.JSONField(
        _("reports"), default=list, help_text=_("[{programme, year, tertial}, ...]")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(_("file"), upload_to="reports/batches/", blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ReportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="reportbatch_done_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.done}/{self.total}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
