"""The office's screen for the end of compulsory care (assignments/care_end.py): the
administrators', and the unit manager's for their own units' patients, as a release is."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clients.access import get_client_for_user
from stodperson.decorators import ADMINISTRATOR, MANAGER, role_required
from stodperson.errors import ServiceError
from stodperson.forms import confirmed_form
from stodperson.types import AuthenticatedRequest

from .access import note_assignment_read
from .care_end import care_end_record, is_patient_committee, release_on_for
from .care_end_forms import CareEndForm
from .models import CareEnd


@role_required(ADMINISTRATOR, MANAGER)
def care_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record that compulsory care ended, where the office learnt it, and the wishes; a
    second visit corrects the date or the wishes while the assignment runs."""
    client = get_client_for_user(request, pk, write=True)
    if not is_patient_committee(client):
        raise Http404
    current = client.assignments.active().select_related("support_person").first()  # type: ignore[attr-defined]
    open_request = client.requests.open().first()  # type: ignore[attr-defined]
    if current is None:
        return render(
            request,
            "assignments/care_end/record.html",
            {"client": client, "assignment": None, "open_request": open_request},
        )
    note_assignment_read(request, current)
    existing = CareEnd.objects.filter(assignment=current).first()
    form = confirmed_form(
        request, CareEndForm, client=client, assignment=current, care_end=existing
    )
    if form.is_valid():
        try:
            recorded = care_end_record(assignment=current, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            client.refresh_from_db()
            if recorded.is_extended:
                current.refresh_from_db()
                if current.ended_on is None:
                    messages.success(
                        request,
                        _("Recorded. The assignment continues until %(day)s.")
                        % {"day": f"{release_on_for(client):%Y-%m-%d}"},
                    )
                else:
                    messages.success(request, _("Recorded. The extension has ended."))
            else:
                messages.success(
                    request, _("Recorded. The assignment has been released: care ended.")
                )
            return redirect("overview:client", pk=client.pk)
    return render(
        request,
        "assignments/care_end/record.html",
        {
            "client": client,
            "assignment": current,
            "care_end": existing,
            "release_on": release_on_for(client) if existing else None,
            "release_days": client.unit.programme.care_ended_release_days,
            "form": form,
        },
    )
