"""The end of compulsory care for an assignment at the patient committee (LPT 30 §, LRV 26 §,
smittskyddslagen): where the office learnt it, and whether the patient and the support
person each want the assignment to continue for the weeks the law allows after it.

The date care ended is the client's own (Client.compulsory_care_ended_on), so that the
client's page, the checks and this record never disagree; this record holds what the office
learnt with it. assignments/care_end.py writes it; flags/care_checks.py releases and reminds.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CareEnd(models.Model):
    """Vårdens upphörande for one assignment (one per assignment: a later period of
    compulsory care is a new request and a new assignment)."""

    class Source(models.TextChoices):
        WARD = "ward", _("The ward")
        PATIENT = "patient", _("The patient")
        SUPPORT_PERSON = "support_person", _("The support person")
        OTHER = "other", _("Other")

    assignment = models.OneToOneField(
        "assignments.Assignment",
        models.PROTECT,
        related_name="care_end",
        verbose_name=_("assignment"),
    )
    learnt_from = models.CharField(_("learnt from"), max_length=20, choices=Source.choices)
    learnt_note = models.CharField(_("note on the source"), max_length=200, blank=True)
    patient_wants_extension = models.BooleanField(
        _("the patient wants the assignment to continue"), default=False
    )
    support_person_wants_extension = models.BooleanField(
        _("the support person wants the assignment to continue"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # The claims of the daily job (healthchecks' sendalerts): set by a conditional UPDATE
    # before the reminder is sent or the assignment released, so two workers never both do.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    release_claimed_at = models.DateTimeField(_("release claimed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("end of compulsory care")
        verbose_name_plural = _("ends of compulsory care")
        ordering = ["-recorded_at", "id"]

    def __str__(self) -> str:
        return str(self.assignment)

    @property
    def is_extended(self) -> bool:
        """Both want it: the assignment continues after care ended (LPT 30 § second
        sentence); without either wish it ends with the care."""
        return self.patient_wants_extension and self.support_person_wants_extension


def extension_release_on(care_ended_on: date, release_days: int) -> date:
    """The day an extended assignment is released: `release_days` (the programme's
    care_ended_release_days, four weeks by default) after the day care ended. The assignment
    is active up to the day before (Assignment.is_active_on), so an extension of 28 days
    after care ended on 1 March is released on 29 March."""
    return care_ended_on + timedelta(days=release_days)
