"""The demo volunteer's contacts and monthly reports (issue #16): stod.erik has reported
his running assignments for the last few months; the month before last is approved, last
month's report waits in the office's queue, and this month is a draft."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from assignments.contacts import MonthlyReport, SupportContact, month_of
from assignments.models import Assignment


# A one-page PDF (with its cross-reference table, so any reader opens it): the receipt.
def _pdf() -> bytes:
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


_RECEIPT = _pdf()
_PLACES = {
    SupportContact.Kind.VISIT: "Avdelningen",
    SupportContact.Kind.PHONE: "Telefon",
    SupportContact.Kind.COURT_HEARING: "Förvaltningsrätten i Umeå",
}


def create_volunteer_contacts(*, username: str, admin: User, today: date) -> int:
    """Three months of weekly contacts for the volunteer's running assignments. Returns how
    many contacts were made."""
    this_month = month_of(today)
    months = [this_month]
    for _i in range(2):
        months.insert(0, month_of(months[0] - timedelta(days=1)))
    made = 0
    assignments = Assignment.objects.filter(
        support_person__user__username=username, ended_on__isnull=True
    ).order_by("started_on", "id")
    for n, assignment in enumerate(assignments):
        for index, month in enumerate(months):
            report = MonthlyReport.objects.create(assignment=assignment, month=month)
            day = max(month + timedelta(days=1 + n), assignment.started_on)
            week = 0
            while day <= today and month_of(day) == month:
                kind = SupportContact.Kind.VISIT
                if week == 1:
                    kind = SupportContact.Kind.PHONE
                if week == 2 and index == 1:
                    kind = SupportContact.Kind.COURT_HEARING
                contact = SupportContact(
                    assignment=assignment,
                    report=report,
                    on=day,
                    kind=kind,
                    duration_minutes=20 if kind == SupportContact.Kind.PHONE else 60,
                    place=_PLACES[kind],
                    kilometres=Decimal("0") if kind == SupportContact.Kind.PHONE else Decimal("14"),
                    created_by=assignment.support_person.user,
                )
                if kind == SupportContact.Kind.COURT_HEARING:
                    contact.expenses = Decimal("45.00")
                    contact.receipt_type = SupportContact.ReceiptType.PDF
                    contact.receipt.save("kvitto", ContentFile(_RECEIPT), save=False)
                contact.save()
                made += 1
                day += timedelta(days=7)
                week += 1
            # This month is a draft; of last month, the first assignment's waits in the
            # office's queue and the second's is still to be handed in.
            if month == this_month or (index == 1 and n > 0):
                continue
            report.state = MonthlyReport.State.SUBMITTED
            report.submitted_by = assignment.support_person.user
            report.submitted_at = timezone.make_aware(
                datetime.combine(month_of(month + timedelta(days=32)), time(9))
            )
            if index == 0:
                report.state = MonthlyReport.State.APPROVED
                report.decided_by = admin
                report.decided_at = report.submitted_at + timedelta(days=1)
            report.save()
    return made
