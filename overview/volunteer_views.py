"""The volunteer's home page, "Mina uppdrag" (issue 16): the start page of a patient
committee's support person, phone first. Only their own: the page takes no id, and the
read path (overview/volunteer.py) asks for the logged-in volunteer's rows alone. The
offers waiting and the contacts to report are included from the assignments app (see the
marked places in templates/overview/volunteer_home.html)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

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
        {"person": person, "data": data, "today": today},
    )
