"""Screens for unit managers and support persons. Each view: the access check first, then
a read path from screens.py or a write from services.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.log import note_reads
from audit.models import ReadLogEntry
from clients.access import get_client_for_user
from clients.models import Client
from stodperson.decorators import ADMINISTRATOR, MANAGER, role_required
from stodperson.forms import confirmed_form
from stodperson.types import AuthenticatedRequest
from supportpersons.access import get_support_person_for_user
from supportpersons.forms import BalanceForm
from supportpersons.models import SupportPerson

from . import services
from .access import note_assignment_read
from .forms import (
    AssignForm,
    ChangeForm,
    DeactivateForm,
    SatisfactionForm,
)
from .matching import rank_candidates
from .pool import pool_balance


@role_required(ADMINISTRATOR, MANAGER)
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk, write=True)
    if client.assignments.active().exists():
        messages.info(request, _("The client already has a support person; use change instead."))
        return redirect("overview:client", pk=client.pk)
    candidates = rank_candidates(client)
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [c.person for c in candidates])
    form = AssignForm(
        request.POST or None,
        candidates=SupportPerson.objects.filter(pk__in=[c.person.pk for c in candidates]),
    )
    if form.is_valid():
        try:
            services.assignment_create(
                client=client,
                support_person=form.cleaned_data["support_person"],
                started_on=form.cleaned_data["started_on"],
                by=request.user,
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The support person has been assigned."))
            return redirect("overview:client", pk=client.pk)
    return render(
        request,
        "assignments/assign.html",
        {"client": client, "candidates": candidates, "form": form},
    )


@role_required(ADMINISTRATOR, MANAGER)
def change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk, write=True)
    current = client.assignments.active().select_related("support_person").first()
    if current is None:
        messages.info(request, _("The client has no support person; assign one instead."))
        return redirect("assignments:assign", pk=client.pk)
    candidates = rank_candidates(client, exclude=current.support_person)
    note_assignment_read(request, current)
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [c.person for c in candidates])
    form = ChangeForm(
        request.POST or None,
        candidates=SupportPerson.objects.filter(pk__in=[c.person.pk for c in candidates]),
        # An ended contact (a god man whose office ended) is not told of the change.
        contact_roles=set(
            client.contacts.filter(ended_on__isnull=True).values_list("role", flat=True)
        ),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.support_person_change(
                assignment=current,
                successor=data["successor"],
                changed_on=data["changed_on"],
                reason=data["reason"],
                reason_note=data["reason_note"],
                client_informed_on=data["client_informed_on"],
                good_man_informed_on=data["good_man_informed_on"],
                relatives_informed_on=data["relatives_informed_on"],
                case_officer_informed_on=data["case_officer_informed_on"],
                by=request.user,
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The support person has been changed."))
            return redirect("overview:client", pk=client.pk)
    return render(
        request,
        "assignments/change.html",
        {"client": client, "current": current, "candidates": candidates, "form": form},
    )


@role_required(ADMINISTRATOR, MANAGER)
def satisfaction(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk, write=True)
    current = get_object_or_404(client.assignments.active().select_related("support_person"))
    note_assignment_read(request, current)
    form = SatisfactionForm(request.POST or None)
    if form.is_valid():
        try:
            services.satisfaction_record(assignment=current, by=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The follow-up has been recorded."))
            return redirect("overview:client", pk=client.pk)
    return render(
        request,
        "assignments/satisfaction.html",
        {"client": client, "current": current, "form": form},
    )


@role_required(ADMINISTRATOR, MANAGER)
def deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_support_person_for_user(request, pk, write=True)
    active = person.assignments.active()
    visible = Client.objects.visible_to(request.user)
    clients = list(visible.filter(pk__in=active.values("client_id")).select_related("unit"))
    note_reads(request, ReadLogEntry.Subject.CLIENT, clients)
    # Deactivating releases every client of the person: a manager may do it only when all
    # of them are in the manager's own units (otherwise an administrator decides).
    others = active.exclude(client__in=visible).count()
    blocked = (
        ngettext(
            "The person also has %(count)s client in a unit you do not manage: "
            "ask an administrator to deactivate them.",
            "The person also has %(count)s clients in units you do not manage: "
            "ask an administrator to deactivate them.",
            others,
        )
        % {"count": others}
        if others
        else ""
    )
    form = confirmed_form(request, DeactivateForm)
    if not blocked and form.is_valid():
        try:
            released = services.support_person_deactivate(
                support_person=person,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            return render(
                request,
                "assignments/deactivated.html",
                {"person": person, "released": released},
            )
    return render(
        request,
        "assignments/deactivate.html",
        {"person": person, "clients": clients, "form": form, "blocked": blocked},
    )


@role_required(ADMINISTRATOR)
def balance(request: AuthenticatedRequest) -> HttpResponse:
    form = BalanceForm(request.GET or None)
    programme = form.cleaned_data["programme"] if form.is_valid() else None
    return render(
        request,
        "assignments/balance.html",
        {"form": form, "rows": pool_balance(programme)},
    )
