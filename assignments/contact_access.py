"""Who reaches the volunteer's contacts and monthly reports: the volunteer of the assignment
(their own, whether it runs or has ended, so the last month can still be reported), and
for reading, approving and returning, administrators. 404 for "not yours" and "does not
exist" alike; each helper writes the read log."""

from __future__ import annotations

from django.http import Http404

from stodperson import roles
from stodperson.access import get_for_user
from stodperson.types import AuthenticatedRequest

from .access import note_assignment_read
from .contacts import MonthlyReport, SupportContact
from .models import Assignment


def get_own_assignment(request: AuthenticatedRequest, pk: int) -> Assignment:
    """One of the volunteer's own assignments; 404 for anyone else's."""
    try:
        assignment = Assignment.objects.select_related(
            "client__unit__programme", "support_person"
        ).get(pk=pk, support_person__user=request.user)
    except Assignment.DoesNotExist:
        raise Http404 from None
    note_assignment_read(request, assignment)
    return assignment


def get_own_contact(request: AuthenticatedRequest, pk: int) -> SupportContact:
    """A contact of the volunteer's own assignment, to change or remove."""
    contact = get_for_user(
        request.user,
        SupportContact.objects.select_related(
            "report", "assignment__client__unit__programme", "assignment__support_person"
        ),
        pk,
        write=True,
    )
    note_assignment_read(request, contact.assignment)
    return contact


def get_contact_for_receipt(request: AuthenticatedRequest, pk: int) -> SupportContact:
    """A contact whose receipt the user may see: their own, or any for an administrator;
    404 when it has no receipt."""
    contact = get_for_user(
        request.user,
        SupportContact.objects.select_related("assignment__client", "assignment__support_person"),
        pk,
        write=False,
    )
    if not contact.receipt:
        raise Http404
    note_assignment_read(request, contact.assignment)
    return contact


def get_report_for_review(request: AuthenticatedRequest, pk: int) -> MonthlyReport:
    """A monthly report, for the office (the view lets administrators only in)."""
    if not roles.is_administrator(request.user):
        raise Http404
    try:
        report = MonthlyReport.objects.select_related(
            "assignment__client__unit__programme",
            "assignment__support_person",
            "submitted_by",
            "decided_by",
        ).get(pk=pk)
    except MonthlyReport.DoesNotExist:
        raise Http404 from None
    note_assignment_read(request, report.assignment)
    return report
