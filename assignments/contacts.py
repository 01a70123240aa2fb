"""The volunteer's contacts with the patient and the monthly reports they form (issue #16,
item 4). Models of the assignments app (imported by assignments.models), in their own module
so that each stays small.

A contact belongs to the monthly report of its assignment and month; the report is created
with the month's first contact (or when an empty month is submitted). A report goes draft ->
submitted (by the volunteer) -> approved or returned with a comment (by the office); a
returned report is corrected and submitted again; an approved one is frozen. The payments
that follow sum a report's kilometres and expenses (MonthlyReportQuerySet.with_totals).
"""

from __future__ import annotations

import os
import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stodperson import workdays
from stodperson.access import ScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ReceiptStorage(FileSystemStorage):
    """Receipts live outside MEDIA_ROOT and have no URL: only the receipt view serves them.
    The folder is read from the settings at each use, so a test's RECEIPTS_ROOT is the one
    used (the field keeps one storage object for the life of the process)."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.RECEIPTS_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A receipt has no URL; it is served by the receipt view.")


def receipt_storage() -> ReceiptStorage:
    return _RECEIPTS


_RECEIPTS = ReceiptStorage()


def receipt_path(instance: SupportContact, filename: str) -> str:
    """A name the uploader does not choose: the month and a random part, the checked type."""
    return f"{instance.on:%Y/%m}/{secrets.token_hex(16)}.{instance.receipt_type}"


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def report_due_on(month: date, working_day: int) -> date:
    """The last day to submit the report of `month`: the programme's n-th working day of the
    next month on the Swedish calendar (a month that starts on a holiday counts from its
    first working day)."""
    return workdays.add_working_days(next_month(month), max(working_day, 1) - 1)


def own_assignment_scope(user: User, prefix: str) -> Q:
    """A volunteer's own contacts and reports: those of their assignments."""
    return Q(**{f"{prefix}support_person__user": user})


class MonthlyReportQuerySet(ScopedQuerySet["MonthlyReport"]):
    # The report is the volunteer's account of their own work: an administrator reads,
    # approves and returns it (services), but never writes it for them.
    administrators_write = False

    def scope(self, user: User, *, write: bool) -> Q:
        return own_assignment_scope(user, "assignment__")

    def with_totals(self) -> MonthlyReportQuerySet:
        """Contacts, kilometres and expenses of each report, in the same query (the review
        queue, and the payments that build on approved reports)."""
        return self.annotate(
            contact_count=Count("contacts"),
            total_km=Coalesce(Sum("contacts__kilometres"), Decimal("0")),
            total_expenses=Coalesce(Sum("contacts__expenses"), Decimal("0")),
        )

    def for_queue(self) -> MonthlyReportQuerySet:
        """The office's review queue: submitted reports, oldest first, with their totals."""
        return (
            self.filter(state=MonthlyReport.State.SUBMITTED)
            .select_related("assignment__client", "assignment__support_person")
            .with_totals()
            .order_by("submitted_at", "id")
        )


class MonthlyReport(models.Model):
    """A month's contacts of one assignment (stödpersonsrapport, redovisning)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    assignment = models.ForeignKey(
        "assignments.Assignment",
        models.PROTECT,
        related_name="monthly_reports",
        verbose_name=_("assignment"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    return_comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "month"],
                name="monthlyreport_one_per_assignment_and_month",
                violation_error_message=_("The assignment already has a report for the month."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="monthlyreport_month_is_first_day",
                violation_error_message=_("A report's month is given by its first day."),
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_open(self) -> bool:
        """Contacts can be added, changed and removed: a draft, or returned for correction."""
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def was_submitted(self) -> bool:
        """Handed in at least once (a returned report had been submitted in time)."""
        return self.state != self.State.DRAFT


class SupportContactQuerySet(ScopedQuerySet["SupportContact"]):
    administrators_write = False

    def scope(self, user: User, *, write: bool) -> Q:
        return own_assignment_scope(user, "assignment__")


class SupportContact(models.Model):
    """One contact of the volunteer with the patient (a visit, a call, a court hearing)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone call")
        COURT_HEARING = "court_hearing", _("Court hearing (förhandling)")
        OTHER = "other", _("Other")

    class ReceiptType(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpg", "JPEG"
        PNG = "png", "PNG"

    assignment = models.ForeignKey(
        "assignments.Assignment",
        models.PROTECT,
        related_name="contacts",
        verbose_name=_("assignment"),
    )
    report = models.ForeignKey(
        MonthlyReport, models.PROTECT, related_name="contacts", verbose_name=_("monthly report")
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    kilometres = models.DecimalField(
        _("kilometres driven"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    expenses = models.DecimalField(
        _("expenses (kronor)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    receipt = models.FileField(
        _("receipt"), storage=receipt_storage, upload_to=receipt_path, blank=True, max_length=200
    )
    receipt_type = models.CharField(
        _("receipt type"), max_length=3, choices=ReceiptType.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = SupportContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact with the patient")
        verbose_name_plural = _("contacts with the patient")
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kilometres__gte=0) & Q(expenses__gte=0),
                name="supportcontact_amounts_not_negative",
                violation_error_message=_("Kilometres and expenses cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["assignment", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"

    @property
    def receipt_content_type(self) -> str:
        return {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}.get(
            self.receipt_type, "application/octet-stream"
        )
