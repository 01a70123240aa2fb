"""The volunteer's home page, "Mina uppdrag" (issue 16): the start page of a patient
committee's support person, phone first. Only their own: the page takes no id, and the
read path (overview/volunteer.py) asks for the logged-in volunteer's rows alone. The
offers waiting and the contacts to report come from the assignments app
(assignments/offer_views.py, assignments/contact_screens.py), included in
templates/overview/volunteer_home.html."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assignments.contact_screens import contact_todo_context
from assignments.offer_views import volunteer_offers_context
from audit.log import note_reads
from audit.models import ReadLogEntry
from stodperson.types import AuthenticatedRequest
from supportpersons.models import SupportPerson
from supportpersons.volunteer_access import volunteer_view

from .volunteer import volunteer_home


@volunteer_view()
def home(request: AuthenticatedRequest, person: SupportPerson) -> HttpResponse:
    today = timezone.localdate()
    data = volunteer_home(person, request.user, today=today)
    # The patients shown by name (the current assignments) and the volunteer's own details.
    note_reads(
        request, ReadLogEntry.Subject.CLIENT, [line.assignment.client for line in data.current]
    )
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [person])
    return render(
        request,
        "overview/volunteer_home.html",
        # The offers waiting for an answer and the contacts to report (their own modules
        # write their reads).
        {
            "person": person,
            "data": data,
            **volunteer_offers_context(request),
            **contact_todo_context(request, today=today),
        },
    )
