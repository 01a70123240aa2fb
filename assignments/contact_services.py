"""Writes on the volunteer's contacts and monthly reports (issue #16, item 4).

Each function is keyword-only, runs in one transaction and raises ServiceError with a
message for the user when the request breaks a rule; nothing is half-saved: a receipt
written before the transaction fails is removed again, and a replaced or removed receipt is
deleted from disk only once the change is committed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stodperson.concurrency import StaleVersion, lock_unchanged, version_of
from stodperson.errors import ServiceError

from .contacts import MonthlyReport, SupportContact, month_of, receipt_storage
from .models import Assignment

State = MonthlyReport.State
# The fields of a contact that the volunteer writes (the form's cleaned data).
CONTACT_FIELDS = ("on", "kind", "duration_minutes", "place", "kilometres", "expenses", "note")


def contact_date_error(assignment: Assignment, on: date) -> str | None:
    """Why a contact cannot be dated `on`, or None: not before the assignment began, not
    after it ended, not in the future."""
    if on > timezone.localdate():
        return _("The date of the contact cannot be in the future.")
    if on < assignment.started_on:
        return _("The assignment began %(day)s: the contact cannot be earlier.") % {
            "day": date_format(assignment.started_on, "DATE_FORMAT")
        }
    if assignment.ended_on is not None and on > assignment.ended_on:
        return _("The assignment ended %(day)s: the contact cannot be later.") % {
            "day": date_format(assignment.ended_on, "DATE_FORMAT")
        }
    return None


def receipt_missing(assignment: Assignment, expenses: Decimal, has_receipt: bool) -> bool:
    """An expense without a receipt, where the programme asks for one."""
    programme = assignment.client.unit.programme
    return bool(expenses) and expenses > 0 and programme.receipt_required and not has_receipt


def closed_month_message(report: MonthlyReport) -> str:
    if report.state == State.APPROVED:
        return _("The report for %(month)s is approved: its contacts can no longer be changed.") % {
            "month": date_format(report.month, "YEAR_MONTH_FORMAT")
        }
    return _(
        "The report for %(month)s has been submitted: its contacts cannot be changed unless "
        "the office returns it."
    ) % {"month": date_format(report.month, "YEAR_MONTH_FORMAT")}


def _open_report(assignment: Assignment, month: date) -> MonthlyReport:
    """The month's report, locked, created as a draft if there is none; ServiceError when it
    is submitted or approved."""
    report, _created = MonthlyReport.objects.select_for_update().get_or_create(
        assignment=assignment, month=month
    )
    if not report.is_open:
        raise ServiceError(closed_month_message(report))
    # Every change of a contact moves the report's version, so a decision taken on a page
    # opened before the change is refused (concurrency.py).
    report.save(update_fields=["updated_at"])
    return report


def _delete_file_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: receipt_storage().delete(name))


def contact_save(
    *,
    assignment: Assignment,
    contact: SupportContact | None,
    data: dict[str, Any],
    receipt: UploadedFile | None,
    receipt_type: str,
    remove_receipt: bool = False,
    by: User,
) -> SupportContact:
    """Record a new contact (contact=None) or change one, in the report of its month."""
    error = contact_date_error(assignment, data["on"])
    if error:
        raise ServiceError(error)
    had_receipt = bool(contact and contact.receipt) and not remove_receipt
    if receipt_missing(assignment, data["expenses"], receipt is not None or had_receipt):
        raise ServiceError(_("Attach a receipt for the expenses."))
    written = ""
    try:
        with transaction.atomic():
            if contact is not None:
                contact = SupportContact.objects.select_for_update().get(pk=contact.pk)
                _open_report(assignment, contact.report.month)
            report = _open_report(assignment, month_of(data["on"]))
            if contact is None:
                contact = SupportContact(assignment=assignment, created_by=by)
            old_file = contact.receipt.name if contact.receipt else ""
            for field in CONTACT_FIELDS:
                setattr(contact, field, data[field])
            contact.report = report
            if receipt is not None:
                contact.receipt_type = receipt_type
                contact.receipt.save("receipt", receipt, save=False)
                written = contact.receipt.name
            elif remove_receipt:
                contact.receipt = ""  # type: ignore[assignment]
                contact.receipt_type = ""
            contact.save()
            if old_file and old_file != contact.receipt.name:
                _delete_file_after_commit(old_file)
    except BaseException:
        if written:
            receipt_storage().delete(written)
        raise
    return contact


@transaction.atomic
def contact_delete(*, contact: SupportContact, by: User) -> None:
    contact = SupportContact.objects.select_for_update().select_related("report").get(pk=contact.pk)
    _open_report(contact.assignment, contact.report.month)
    _delete_file_after_commit(contact.receipt.name if contact.receipt else "")
    contact.delete()


def reportable_months(assignment: Assignment, today: date) -> list[date]:
    """The months a volunteer reports for an assignment: from its first month to the month
    it ended, or the current month; newest first."""
    first = month_of(assignment.started_on)
    last = month_of(min(assignment.ended_on or today, today))
    months: list[date] = []
    month = last
    while month >= first:
        months.append(month)
        month = (month - date.resolution).replace(day=1)
    return months


@transaction.atomic
def report_submit(*, assignment: Assignment, month: date, version: str, by: User) -> MonthlyReport:
    """The volunteer hands in the month (also a month without contacts). `version` is the
    report's version when the page was opened, "" when it had no report yet."""
    if month not in reportable_months(assignment, timezone.localdate()):
        raise ServiceError(_("There is nothing to report for that month."))
    report = MonthlyReport.objects.select_for_update().filter(assignment=assignment, month=month)
    existing = report.first()
    if existing is None:
        if version:
            raise StaleVersion
        report_row = MonthlyReport(assignment=assignment, month=month)
    else:
        if version_of(existing) != version:
            raise StaleVersion
        report_row = existing
    if not report_row.is_open:
        raise ServiceError(closed_month_message(report_row))
    report_row.state = State.SUBMITTED
    report_row.submitted_at = timezone.now()
    report_row.submitted_by = by
    report_row.save()
    return report_row


def _lock_submitted(report: MonthlyReport, version: str) -> MonthlyReport:
    locked = lock_unchanged(MonthlyReport.objects.all(), report.pk, version)
    if locked.state != State.SUBMITTED:
        raise ServiceError(_("Only a submitted report can be approved or returned."))
    return locked


@transaction.atomic
def report_approve(*, report: MonthlyReport, version: str, by: User) -> MonthlyReport:
    """The office approves the month: from now on its contacts are frozen."""
    locked = _lock_submitted(report, version)
    locked.state = State.APPROVED
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.return_comment = ""
    locked.save()
    return locked


@transaction.atomic
def report_return(*, report: MonthlyReport, version: str, comment: str, by: User) -> MonthlyReport:
    """The office sends the month back to the volunteer with what to correct."""
    if not comment.strip():
        raise ServiceError(_("Write what the volunteer should correct."))
    locked = _lock_submitted(report, version)
    locked.state = State.RETURNED
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.return_comment = comment.strip()
    locked.save()
    return locked
