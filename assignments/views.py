"""Screens for unit managers and support persons. Each view: the access check first, then
a read path from screens.py or a write from services.py."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.log import log_read
from clients.access import get_client_for_user
from clients.models import Client, Unit
from stodperson import roles
from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.paging import paginate
from stodperson.types import AuthenticatedRequest
from supportpersons.models import SupportPerson

from . import screens, services
from .access import get_assignment_for_user, get_support_person_for_manager
from .forms import (
    AssignForm,
    ChangeForm,
    ClientFilter,
    DeactivateForm,
    DutyCheckForm,
    SatisfactionForm,
)
from .matching import rank_candidates
from .models import Assignment, DutyCheck, DutyTemplate, Flag

CLIENTS_PER_PAGE = 25


@role_required(ADMINISTRATOR, MANAGER)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    units = Unit.objects.visible_to(request.user)
    chosen = request.GET.get("unit", "")
    if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
        units = units.filter(pk=int(chosen))
    data = screens.dashboard(units, today=timezone.localdate())
    return render(
        request,
        "assignments/dashboard.html",
        {
            "data": data,
            "all_units": Unit.objects.visible_to(request.user),
            "chosen_unit": chosen,
        },
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def client_list(request: AuthenticatedRequest) -> HttpResponse:
    clients = Client.objects.visible_to(request.user)
    filters = ClientFilter(request.GET or None, queryset=clients, request=request)
    page, query = paginate(request, screens.clients_for_list(filters.qs), CLIENTS_PER_PAGE)
    return render(
        request,
        "assignments/client_list.html",
        {"filter": filters, "page": page, "query": query.urlencode()},
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def client_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk)
    log_read(request, subject="client", subject_id=client.pk, protected=client.is_protected)
    assignments = list(
        client.assignments.select_related("support_person", "decided_by").order_by("-started_on")
    )
    current = next((a for a in assignments if a.is_active), None)
    today = timezone.localdate()
    is_manager = (
        roles.is_administrator(request.user)
        or client.unit.managers.filter(pk=request.user.pk).exists()
    )
    return render(
        request,
        "assignments/client_detail.html",
        {
            "client": client,
            "client_name": client.name_for(request.user),
            "current": current,
            "assignments": assignments,
            "contacts": client.contacts.all(),
            "consents": client.consents.all(),
            "risk_measures": client.risk_measures.all(),
            "deviations": client.deviations.all(),
            "flags": client.flags.open(),
            "checklist": (
                screens.checklist(current, today=today, user_id=request.user.pk) if current else []
            ),
            "follow_ups": (current.satisfaction_follow_ups.all()[:5] if current else []),
            "history": client.history.select_related("history_user")[:15],
            "is_manager": is_manager,
            "today": today,
        },
    )


def _manager_client(request: AuthenticatedRequest, pk: int) -> Client:
    """A client the user manages (unit manager of its unit, or administrator)."""
    clients = Client.objects.all()
    if not roles.is_administrator(request.user):
        clients = clients.filter(unit__managers=request.user)
    return get_client_for_user(request, pk, clients)


@role_required(ADMINISTRATOR, MANAGER)
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _manager_client(request, pk)
    if client.assignments.filter(ended_on__isnull=True).exists():
        messages.info(request, _("The client already has a support person; use change instead."))
        return redirect("assignments:client", pk=client.pk)
    candidates = rank_candidates(client)
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
            return redirect("assignments:client", pk=client.pk)
    return render(
        request,
        "assignments/assign.html",
        {"client": client, "candidates": candidates, "form": form},
    )


@role_required(ADMINISTRATOR, MANAGER)
def change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _manager_client(request, pk)
    current = (
        client.assignments.filter(ended_on__isnull=True).select_related("support_person").first()
    )
    if current is None:
        messages.info(request, _("The client has no support person; assign one instead."))
        return redirect("assignments:assign", pk=client.pk)
    candidates = rank_candidates(client, exclude=current.support_person)
    form = ChangeForm(
        request.POST or None,
        candidates=SupportPerson.objects.filter(pk__in=[c.person.pk for c in candidates]),
        contact_roles=set(client.contacts.values_list("role", flat=True)),
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
            return redirect("assignments:client", pk=client.pk)
    return render(
        request,
        "assignments/change.html",
        {"client": client, "current": current, "candidates": candidates, "form": form},
    )


@role_required(ADMINISTRATOR, MANAGER)
def satisfaction(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _manager_client(request, pk)
    current = get_object_or_404(client.assignments.active().select_related("support_person"))
    form = SatisfactionForm(request.POST or None)
    if form.is_valid():
        try:
            services.satisfaction_record(assignment=current, by=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The follow-up has been recorded."))
            return redirect("assignments:client", pk=client.pk)
    return render(
        request,
        "assignments/satisfaction.html",
        {"client": client, "current": current, "form": form},
    )


@role_required(ADMINISTRATOR, MANAGER)
def deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_support_person_for_manager(request, pk)
    active = person.assignments.active()
    visible = Client.objects.visible_to(request.user)
    clients = list(visible.filter(pk__in=active.values("client_id")).select_related("unit"))
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
    form = DeactivateForm(request.POST or None)
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


@role_required(SUPPORT_PERSON)
def my_clients(request: AuthenticatedRequest) -> HttpResponse:
    assignments = list(
        Assignment.objects.active()
        .filter(support_person__user=request.user)
        .select_related("client__unit")
        .prefetch_related(
            Prefetch("client__flags", queryset=Flag.objects.open(), to_attr="open_flags")
        )
    )
    return render(request, "assignments/my_clients.html", {"assignments": assignments})


@role_required(SUPPORT_PERSON, MANAGER, ADMINISTRATOR)
def checklist(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_user(request, pk)
    return render(
        request,
        "assignments/checklist.html",
        {
            "assignment": assignment,
            "client": assignment.client,
            "rows": screens.checklist(
                assignment, today=timezone.localdate(), user_id=request.user.pk
            ),
            "can_tick": assignment.support_person.user_id == request.user.pk,
            "form": DutyCheckForm(),
        },
    )


def _ticking_assignment(request: AuthenticatedRequest, pk: int) -> Assignment:
    """Only the assignment's own support person ticks its checklist."""
    return get_assignment_for_user(
        request, pk, Assignment.objects.active().filter(support_person__user=request.user)
    )


@require_POST
@role_required(SUPPORT_PERSON)
def tick(request: AuthenticatedRequest, pk: int, template_pk: int) -> HttpResponse:
    assignment = _ticking_assignment(request, pk)
    template = get_object_or_404(
        DutyTemplate, pk=template_pk, programme_id=assignment.client.unit.programme_id
    )
    form = DutyCheckForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.duty_check_create(
                assignment=assignment, template=template, by=request.user, **form.cleaned_data
            )
        except services.ServiceError as failure:
            error = failure.message
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    return _checklist_answer(request, assignment, template, error)


@require_POST
@role_required(SUPPORT_PERSON)
def withdraw(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    assignment = _ticking_assignment(request, pk)
    check = get_object_or_404(
        DutyCheck.objects.select_related("template"), pk=check_pk, assignment=assignment
    )
    error = None
    try:
        services.duty_check_withdraw(check=check, by=request.user)
    except services.ServiceError as failure:
        error = failure.message
    return _checklist_answer(request, assignment, check.template, error)


def _checklist_answer(
    request: AuthenticatedRequest, assignment: Assignment, template: DutyTemplate, error: str | None
) -> HttpResponse:
    """htmx swaps the one row; without JavaScript the page reloads with a message."""
    if request.htmx:  # type: ignore[attr-defined]
        row = screens.checklist_row(
            assignment, template, today=timezone.localdate(), user_id=request.user.pk
        )
        return render(
            request,
            "assignments/includes/checklist_row.html",
            {
                "row": row,
                "assignment": assignment,
                "can_tick": True,
                "error": error,
                "form": DutyCheckForm(),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The checklist has been updated."))
    return redirect("assignments:checklist", pk=assignment.pk)
