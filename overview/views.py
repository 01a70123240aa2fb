"""The overview screens: the start pages (the dashboard of unit managers and administrators,
a support person's own clients), each a to-do list first; the client list and the client
page. They gather a client's assignments, checklist and flags, so they stand above the
duties and flags apps."""

from __future__ import annotations

from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from assignments.access import note_assignment_read
from audit.log import note_reads
from audit.models import ReadLogEntry
from clients.access import get_client_for_user
from clients.models import Client, Unit
from clients.record_access import may_act_on_records
from duties.checklist import checklist
from flags.actions import with_action_targets
from flags.models import Flag
from stodperson import roles
from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.paging import paginate
from stodperson.types import AuthenticatedRequest
from supportpersons.volunteers import is_volunteer

from . import screens, todo
from .forms import ClientFilter

CLIENTS_PER_PAGE = 25


@role_required(ADMINISTRATOR, MANAGER)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    units = Unit.objects.visible_to(request.user)
    chosen = request.GET.get("unit", "")
    if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
        units = units.filter(pk=int(chosen))
    today = timezone.localdate()
    in_units = Q(client__unit__in=units)
    if roles.is_administrator(request.user) and not chosen:
        # The flags on a support person alone (a background check running out, issue 16)
        # are the office's, whatever the unit: on the whole register's view only.
        in_units |= Q(client__isnull=True, support_person__isnull=False)
    flags = Flag.objects.visible_to(request.user).filter(in_units)
    data = screens.dashboard(units, flags=flags, today=today)
    admin = (
        todo.admin_todo(request.user, data.units, today=today)
        if roles.is_administrator(request.user)
        else None
    )
    note_reads(
        request,
        ReadLogEntry.Subject.CLIENT,
        [
            *data.without_support_person,
            *(flag.client for flag in data.open_flags if flag.client is not None),
            *(row.request.client for row in (admin.requests if admin else [])),
        ],
    )
    note_reads(
        request,
        ReadLogEntry.Subject.SUPPORT_PERSON,
        [
            *data.capacity,
            *(
                flag.support_person
                for flag in data.open_flags
                if flag.client_id is None and flag.support_person is not None
            ),
        ],
    )
    note_assignment_read(
        request, *data.recent_assignments, *(wish.assignment for wish in data.change_wishes)
    )
    return render(
        request,
        "overview/dashboard.html",
        {
            "data": data,
            "admin": admin,
            "all_units": Unit.objects.visible_to(request.user),
            "chosen_unit": chosen,
            "today": today,
        },
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def client_list(request: AuthenticatedRequest) -> HttpResponse:
    clients = Client.objects.visible_to(request.user)
    filters = ClientFilter(request.GET or None, queryset=clients, request=request)
    page, query = paginate(request, screens.clients_for_list(filters.qs), CLIENTS_PER_PAGE)
    note_reads(request, ReadLogEntry.Subject.CLIENT, page)
    note_reads(
        request,
        ReadLogEntry.Subject.SUPPORT_PERSON,
        [a.support_person for client in page for a in client.active_assignments],
    )
    suggestions = filters.suggestions() if not page.paginator.count else []
    note_reads(request, ReadLogEntry.Subject.CLIENT, [p for s in suggestions for p in s.people])
    return render(
        request,
        "overview/client_list.html",
        {
            "filter": filters,
            "page": page,
            "query": query.urlencode(),
            "suggestions": suggestions,
        },
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def client_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk)
    assignments = list(
        client.assignments.select_related("support_person", "decided_by").order_by("-started_on")
    )
    note_assignment_read(request, *assignments)
    current = next((a for a in assignments if a.is_active), None)
    today = timezone.localdate()
    is_manager = Client.objects.is_managed_by(request.user, client.pk)
    return render(
        request,
        "overview/client_detail.html",
        {
            "client": client,
            "client_name": client.name_for(request.user),
            "current": current,
            "assignments": assignments,
            # Ended contacts and replaced consents stay, marked (issue 15, item 2).
            "contacts": client.contacts.select_related("consent").order_by(
                F("ended_on").asc(nulls_first=True), "role", "name"
            ),
            "consents": client.consents.order_by("purpose", "-given_on", "-id"),
            "risk_measures": client.risk_measures.select_related("consent"),
            "may_act_on_records": may_act_on_records(request.user, client),
            "deviations": client.deviations.all(),
            "flags": with_action_targets(client.flags.open()),
            "checklist": (
                checklist(current, today=today, user_id=request.user.pk) if current else []
            ),
            "follow_ups": (current.satisfaction_follow_ups.all()[:5] if current else []),
            "history": client.history.select_related("history_user")[:15],
            "is_manager": is_manager,
            "today": today,
        },
    )


@role_required(SUPPORT_PERSON)
def my_clients(request: AuthenticatedRequest) -> HttpResponse:
    """The support person's start page: the duties due today across their clients, ticked
    from here (duties.views.tick), then their clients. A patient committee's volunteer
    starts on their own page instead (volunteer_views.home)."""
    if is_volunteer(request.user.support_person):
        return redirect("overview:volunteer_home")
    today = timezone.localdate()
    mine = todo.support_person_day(request.user, today=today)
    note_assignment_read(request, *mine.assignments)
    return render(
        request,
        "overview/my_clients.html",
        {"assignments": mine.assignments, "day": mine.day, "today": today},
    )
