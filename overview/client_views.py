"""A client's life in the register (issue 15, item 3): edit the client's facts, move the
client to another unit, end the client. The unit manager of the client's unit and the
administrators do these (the client's write scope, ClientQuerySet.scope); a support person
is out of role, another unit's manager out of reach.

A move goes to a unit in the user's reach: one they manage (all for an administrator), of
the client's programme. A move to a unit someone else leads is an administrator's decision,
since it hands the client's record to that unit's manager.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assignments import services
from assignments.access import note_assignment_read
from assignments.models import Assignment
from clients.access import get_client_for_user
from clients.models import Client, Unit
from flags.checks import STAYS_AFTER_THE_CLIENT_ENDED, resolve_flags_of_ended_client
from flags.models import Flag
from stodperson.concurrency import StaleVersion, lock_unchanged, version_of
from stodperson.decorators import ADMINISTRATOR, MANAGER, role_required
from stodperson.errors import ServiceError
from stodperson.forms import confirmed_form
from stodperson.types import AuthenticatedRequest

from .client_forms import ClientEndForm, ClientForm, ClientMoveForm


def _current(request: AuthenticatedRequest, client: Client) -> Assignment | None:
    current = client.assignments.active().select_related("support_person").first()  # type: ignore[attr-defined]
    if current is not None:
        note_assignment_read(request, current)
    return current


@role_required(ADMINISTRATOR, MANAGER)
def client_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk, write=True)
    hide_identity = client.identity_hidden_from(request.user)
    # Before the form is bound, which writes the posted values into the instance.
    was_protected, client_name = client.is_protected, client.name_for(request.user)
    form = ClientForm(request.POST or None, instance=client, hide_identity=hide_identity)
    if form.is_valid():
        try:
            with transaction.atomic():
                lock_unchanged(Client.objects.all(), client.pk, form.cleaned_data["version"])
                saved = form.save()
                if saved.is_protected and not was_protected:
                    # The one who marks it protected has just seen the name (ClientForm).
                    saved.identity_readers.add(request.user)
        except StaleVersion as stale:
            form = _refilled(request, form, stale)
        else:
            messages.success(request, _("The client's details have been saved."))
            return redirect("overview:client", pk=client.pk)
    return render(
        request,
        "overview/client_edit.html",
        {
            "client": client,
            "client_name": client_name,
            "form": form,
            "identity_hidden": hide_identity,
        },
    )


def _refilled(request: AuthenticatedRequest, form: ClientForm, stale: StaleVersion) -> ClientForm:
    """The form again after someone else saved in between: what this user wrote, against
    the version saved now (so a second save is a decision taken knowingly), and a message
    that names the fields where the two differ."""
    fresh = Client.objects.select_related("unit__programme").get(pk=form.instance.pk)
    differing = form.differences(fresh)
    data = request.POST.copy()
    data["version"] = version_of(fresh)
    refilled = ClientForm(
        data, instance=fresh, hide_identity=fresh.identity_hidden_from(request.user)
    )
    refilled.is_valid()
    message = stale.message
    if differing:
        message = _(
            "Someone else changed the client after you opened the form. Nothing has been "
            "saved. What is saved now differs from your form in: %(fields)s. Check them and "
            "save again."
        ) % {"fields": ", ".join(differing)}
    refilled.add_error(None, message)
    return refilled


def _move_targets(request: AuthenticatedRequest, client: Client) -> QuerySet[Unit]:
    return (
        Unit.objects.managed_by(request.user)
        .filter(programme_id=client.unit.programme_id)
        .exclude(pk=client.unit_id)
        .select_related("locality")
    )


@role_required(ADMINISTRATOR, MANAGER)
def client_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk, write=True)
    current = _current(request, client)
    units = _move_targets(request, client)
    form = ClientMoveForm(request.POST or None, client=client, units=units, current=current)
    if client.ended_on is None and form.is_valid():
        data = form.cleaned_data
        try:
            released = services.client_move(
                client=client,
                unit=data["unit"],
                moved_on=data["moved_on"],
                assignment_follows=form.assignment_follows,
                version=data["version"],
                by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            text = _("The client has been moved to %(unit)s.") % {"unit": data["unit"].name}
            if released is not None:
                text += " " + _("The support person has been released.")
            messages.success(request, text)
            return redirect("overview:client", pk=client.pk)
    return render(
        request,
        "overview/client_move.html",
        {"client": client, "current": current, "form": form, "has_targets": units.exists()},
    )


@role_required(ADMINISTRATOR, MANAGER)
def client_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Ending asks for a confirmation on its own page, which says what will happen (GOV.UK's
    confirmation before an irreversible step); only a post carrying `confirm` ends."""
    client = get_client_for_user(request, pk, write=True)
    current = _current(request, client)
    form = confirmed_form(request, ClientEndForm, client=client)
    if client.ended_on is None and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.client_end(
                    client=client,
                    ended_on=data["ended_on"],
                    reason=data["reason"],
                    version=data["version"],
                    by=request.user,
                )
                client.refresh_from_db(fields=["ended_on"])
                resolve_flags_of_ended_client(client)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The client has been ended."))
            return redirect("overview:client", pk=client.pk)
    flags = Flag.objects.open().filter(client=client)
    return render(
        request,
        "overview/client_end.html",
        {
            "client": client,
            "current": current,
            "form": form,
            "open_requests": client.requests.open().count(),  # type: ignore[attr-defined]
            "flags_closing": flags.exclude(kind__in=STAYS_AFTER_THE_CLIENT_ENDED).count(),
            "flags_staying": flags.filter(kind__in=STAYS_AFTER_THE_CLIENT_ENDED).count(),
        },
    )
