"""The administrator's requests and appointments (the patient committee's routine: a request
answered by an appointment within 3 working days, domain.md rule 5; it works for both
programmes). Each view: the access check first, then a read path or a write from services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import note_reads
from audit.models import ReadLogEntry
from clients.models import Client, Locality, Unit
from stodperson import roles, workdays
from stodperson.decorators import ADMINISTRATOR, MANAGER, role_required
from stodperson.forms import confirmed_form
from stodperson.paging import paginate
from stodperson.types import AuthenticatedRequest

from . import services
from .access import get_assignment_for_user, get_request_for_user
from .forms import EndAssignmentForm
from .matching import rank_candidates
from .models import Assignment, SupportRequest
from .offer_views import request_offers_context
from .request_forms import (
    AppointForm,
    PauseForm,
    RequestFilterForm,
    RequestForm,
    ResumeForm,
    WithdrawForm,
)
from .request_list import Status, queue_row
from .request_list import request_list as request_list_rows

REQUESTS_PER_PAGE = 50


@role_required(ADMINISTRATOR)
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    """The open requests by deadline (the day's work), and through the filters the closed
    ones: by status, outcome, period, locality and the client's name."""
    today = timezone.localdate()
    units = Unit.objects.visible_to(request.user)
    form = RequestFilterForm(
        request.GET or None,
        localities=Locality.objects.filter(pk__in=units.values("locality_id")),
    )
    chosen = form.chosen()
    rows = request_list_rows(SupportRequest.objects.visible_to(request.user), today=today, **chosen)
    page, query = paginate(request, rows, REQUESTS_PER_PAGE)
    note_reads(request, ReadLogEntry.Subject.CLIENT, [row.request.client for row in page])
    return render(
        request,
        "assignments/requests/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "rows": rows,
            "status": Status.CLOSED if chosen["outcome"] else chosen["status"],
            "narrowed": form.narrows,
            "today": today,
        },
    )


@role_required(ADMINISTRATOR)
def request_new(request: AuthenticatedRequest) -> HttpResponse:
    clients = Client.objects.visible_to(request.user).active()
    form = RequestForm(
        request.POST or None, clients=clients, units=Unit.objects.visible_to(request.user)
    )
    if form.is_valid():
        data = form.cleaned_data
        common = {
            "received_at": data["received_at"],
            "source": data["source"],
            "wished_gender": data["wished_gender"],
            "wished_language": data["wished_language"],
            "note": data["note"],
            "by": request.user,
        }
        try:
            if data["client"] is not None:
                created = services.request_create(client=data["client"], **common)
            else:
                created = services.request_create_for_new_client(
                    unit=data["new_unit"],
                    first_name=data["new_first_name"],
                    last_name=data["new_last_name"],
                    personnummer=data["new_personnummer"],
                    legal_basis=data["new_legal_basis"],
                    **common,
                )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        except ValidationError as error:  # the new client's own rules
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The request has been registered."))
            return redirect("assignments:request", pk=created.pk)
    # The choice of client lists the clients by name.
    note_reads(request, ReadLogEntry.Subject.CLIENT, form.fields["client"].queryset)  # type: ignore[attr-defined]
    return render(request, "assignments/requests/new.html", {"form": form})


def _detail(request: AuthenticatedRequest, req: SupportRequest, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    answer: Assignment | None = getattr(req, "assignment", None)
    is_open = answer is None and req.withdrawn_at is None
    row = queue_row(req, today)
    context = {
        "req": req,
        "client": req.client,
        "row": row,
        "is_open": is_open,
        "answer": answer,
        "pauses": req.pauses.all(),
        "deadline_holiday": workdays.holiday_name(row.deadline) if row.deadline else None,
        "pause_form": forms.get("pause_form") or PauseForm(),
        "resume_form": forms.get("resume_form") or ResumeForm(),
        # A refused action is said at the top: its form may no longer be shown (a request
        # paused or withdrawn by the first of two posts).
        "errors": [m for form in forms.values() for e in form.errors.values() for m in e],
        **request_offers_context(request, req),
    }
    return render(request, "assignments/requests/detail.html", context)


@role_required(ADMINISTRATOR)
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, get_request_for_user(request, pk))


def _clock_action(
    request: AuthenticatedRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    form_name: str,
    action: Callable[..., object],
    done: str,
    to_queue: bool = False,
) -> HttpResponse:
    """A form posted from a request's page (pause, resume, withdraw): the service with the
    form's data, then the message `done` and back to the page (or to the queue); a refusal
    shows the page again with its form."""
    req = get_request_for_user(request, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(request=req, by=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            if to_queue:
                return redirect("assignments:requests")
            return redirect("assignments:request", pk=req.pk)
    return _detail(request, req, **{form_name: form})


@require_POST
@role_required(ADMINISTRATOR)
def request_pause(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _clock_action(
        request,
        pk,
        form_class=PauseForm,
        form_name="pause_form",
        action=services.request_pause,
        done=_("The clock is paused."),
    )


@require_POST
@role_required(ADMINISTRATOR)
def request_resume(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _clock_action(
        request,
        pk,
        form_class=ResumeForm,
        form_name="resume_form",
        action=services.request_resume,
        done=_("The clock runs again."),
    )


@role_required(ADMINISTRATOR)
def request_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Withdrawing cannot be undone: a page says so and asks for the reason (GOV.UK's
    confirmation before an irreversible step); only a post that carries `confirm` withdraws.
    A post without it (an old form, a double submit) shows the page and changes nothing."""
    req = get_request_for_user(request, pk, write=True)
    form = confirmed_form(request, WithdrawForm)
    if form.is_valid():
        try:
            services.request_withdraw(request=req, by=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The request has been withdrawn."))
            return redirect("assignments:requests")
    return render(
        request,
        "assignments/requests/withdraw.html",
        {
            "req": req,
            "client": req.client,
            "form": form,
            "is_open": req.withdrawn_at is None and req.answered_on is None,
        },
    )


@role_required(ADMINISTRATOR)
def request_appoint(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request, pk, write=True)
    if req.withdrawn_at is not None or req.answered_on is not None:
        messages.info(request, _("The request is no longer open."))
        return redirect("assignments:request", pk=req.pk)
    candidates = rank_candidates(
        req.client, wished_gender=req.wished_gender, wished_language=req.wished_language
    )
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [c.person for c in candidates])
    form = AppointForm(request.POST or None, request=req)
    if form.is_valid():
        try:
            services.request_appoint(request=req, by=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The support person has been appointed."))
            return redirect("assignments:request", pk=req.pk)
    today = timezone.localdate()
    return render(
        request,
        "assignments/requests/appoint.html",
        {
            "req": req,
            "client": req.client,
            "candidates": candidates,
            "form": form,
            "row": queue_row(req, today),
            "late_today": req.clock_if_answered_on(today).is_late,
        },
    )


@role_required(ADMINISTRATOR, MANAGER)
def assignment_release(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Entledigande: the assignment ends, with the date and the reason; a unit manager may
    release the assignments of their own units' clients."""
    assignment = get_assignment_for_user(request, pk, write=True)
    form = confirmed_form(request, EndAssignmentForm)
    if form.is_valid():
        try:
            services.assignment_end(
                assignment=assignment,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The support person has been released."))
            if assignment.request_id and roles.is_administrator(request.user):
                return redirect("assignments:request", pk=assignment.request_id)
            return redirect("overview:client", pk=assignment.client_id)
    return render(
        request,
        "assignments/requests/release.html",
        {"assignment": assignment, "client": assignment.client, "form": form},
    )
