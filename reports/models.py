"""Tertial reports (T1 Jan-Apr, T2 May-Aug, T3 Sep-Dec) on a programme."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Programme

from .tertials import Tertial


class TertialReport(models.Model):
    """The four-month report to the committee. A final report is frozen: its figures and text
    are stored, so later changes to the data never change it."""

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

    class Meta:
        verbose_name = _("tertial report")
        verbose_name_plural = _("tertial reports")
        ordering = ["-year", "-tertial", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "tertial"], name="tertialreport_unique_period"
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
