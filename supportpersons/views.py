"""The administrator's screens for the pool, training events, the collaboration log, and
import and export. Unit managers may read the pool of their programmes and export what they
see; support persons see none of this. Each view: the access check first, then a read path
from screens.py or a write from services.py."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.log import log_export, note_reads
from audit.models import ReadLogEntry
from clients.models import Client, Programme
from stodperson import roles, spreadsheets
from stodperson.decorators import ADMINISTRATOR, MANAGER, role_required
from stodperson.errors import ServiceError
from stodperson.paging import paginate
from stodperson.types import AuthenticatedRequest

from . import exporting, importing, screens, services
from .access import get_support_person_for_user, get_training_event_for_user
from .forms import (
    CancelForm,
    CollaborationForm,
    ImportForm,
    NewSupportPersonForm,
    PeriodForm,
    RecruitmentStepForm,
    RegistrationForm,
    StatusForm,
    SupportPersonFilter,
    SupportPersonForm,
    TrainingEventForm,
)
from .models import CollaborationActivity, SupportPerson, TrainingEvent
from .volunteers import background_check_runs_out, is_volunteer

PEOPLE_PER_PAGE = 25
EVENTS_PER_PAGE = 25
IMPORT_SESSION_KEY = "supportpersons_import"


# --- The pool ------------------------------------------------------------------------------


@role_required(ADMINISTRATOR, MANAGER)
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    people = SupportPerson.objects.visible_to(request.user)
    filters = SupportPersonFilter(request.GET or None, queryset=people, request=request)
    page, query = paginate(request, screens.for_list(filters.qs), PEOPLE_PER_PAGE)
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, page)
    suggestions = filters.suggestions() if not page.paginator.count else []
    note_reads(
        request,
        ReadLogEntry.Subject.SUPPORT_PERSON,
        [p for s in suggestions for p in s.people],
    )
    return render(
        request,
        "supportpersons/list.html",
        {
            "filter": filters,
            "page": page,
            "query": query.urlencode(),
            "suggestions": suggestions,
            "can_manage": roles.is_administrator(request.user),
        },
    )


@role_required(ADMINISTRATOR)
def person_new(request: AuthenticatedRequest) -> HttpResponse:
    form = NewSupportPersonForm(request.POST or None)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = services.support_person_create(by=request.user, **data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The applicant has been registered."))
            return redirect("supportpersons:detail", pk=person.pk)
    return render(
        request,
        "supportpersons/form.html",
        {
            "form": form,
            "title": _("New support person"),
            "cancel_url": reverse("supportpersons:list"),
        },
    )


@role_required(ADMINISTRATOR)
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_support_person_for_user(request, pk, write=True)
    form = SupportPersonForm(
        request.POST or None,
        instance=person,
        hide_identity=person.identity_hidden_from(request.user),
    )
    if form.is_valid():
        with transaction.atomic():  # the row and its languages, or nothing
            form.save()
        messages.success(request, _("Saved."))
        return redirect("supportpersons:detail", pk=person.pk)
    return render(
        request,
        "supportpersons/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Edit support person"),
            "cancel_url": reverse("supportpersons:detail", args=[person.pk]),
        },
    )


@role_required(ADMINISTRATOR, MANAGER)
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_support_person_for_user(request, pk)
    page = screens.person_page(person, request.user)
    note_reads(
        request,
        ReadLogEntry.Subject.CLIENT,
        [line.assignment.client for line in [*page["current"], *page["earlier"]] if line.client_id],
    )
    return render(
        request,
        "supportpersons/detail.html",
        {
            "person": person,
            "person_name": person.name_for(request.user),
            # The pool's own work (edit, recruitment, extracts) is the administrators';
            # pausing and deactivating follow the person's write scope, as their URLs do.
            "can_administer": roles.is_administrator(request.user),
            "can_manage": SupportPerson.objects.is_managed_by(request.user, person.pk),
            "step_form": RecruitmentStepForm(),
            "status_form": StatusForm(),
            "is_volunteer": is_volunteer(person),
            "check_runs_out": background_check_runs_out(person) if is_volunteer(person) else None,
            **page,
        },
    )


@role_required(ADMINISTRATOR)
def person_step(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_support_person_for_user(request, pk, write=True)
    form = RecruitmentStepForm(request.POST or None)
    if form.is_valid():
        try:
            services.recruitment_step_record(
                support_person=person, by=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The step has been recorded."))
            return redirect("supportpersons:detail", pk=person.pk)
    return render(
        request,
        "supportpersons/action.html",
        {"form": form, "person": person, "title": _("Record a recruitment step")},
    )


def _status_action(request: AuthenticatedRequest, pk: int, *, pause: bool) -> HttpResponse:
    person = get_support_person_for_user(request, pk, write=True)
    form = StatusForm(request.POST or None)
    if form.is_valid():
        action = services.support_person_pause if pause else services.support_person_reactivate
        try:
            action(support_person=person, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("supportpersons:detail", pk=person.pk)
    # The clients the user may see by name; a unit manager's page counts the others.
    active = person.assignments.active()  # type: ignore[attr-defined]
    clients = list(Client.objects.visible_to(request.user).filter(pk__in=active.values("client")))
    note_reads(request, ReadLogEntry.Subject.CLIENT, clients)
    title = _("Pause the support person") if pause else _("Reactivate the support person")
    return render(
        request,
        "supportpersons/action.html",
        {
            "form": form,
            "person": person,
            "title": title,
            "clients": clients,
            "other_clients": active.count() - len(clients),
            "pause": pause,
        },
    )


@role_required(ADMINISTRATOR, MANAGER)
def person_pause(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, pause=True)


@role_required(ADMINISTRATOR, MANAGER)
def person_reactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, pause=False)


# --- Export and import -------------------------------------------------------------------


def _format(fmt: str) -> str:
    if fmt not in exporting.FORMATS:
        raise Http404
    return fmt


@role_required(ADMINISTRATOR, MANAGER)
def export_people(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    people = SupportPerson.objects.visible_to(request.user)
    filters = SupportPersonFilter(request.GET or None, queryset=people, request=request)
    data = exporting.support_persons(filters.qs)
    log_export(
        request,
        subject="support_person",
        subject_ids=exporting.exported(filters.qs).values_list("pk", flat=True),
    )
    return exporting.response(data, fmt, "stodpersoner")


@role_required(ADMINISTRATOR, MANAGER)
def export_clients(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    clients = Client.objects.visible_to(request.user)
    data = exporting.clients(clients)
    log_export(
        request,
        subject="client",
        subject_ids=exporting.exported(clients).values_list("pk", flat=True),
    )
    return exporting.response(data, fmt, "klienter")


@role_required(ADMINISTRATOR, MANAGER)
def export_page(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "supportpersons/export.html",
        {
            "people_left_out": exporting.left_out(SupportPerson.objects.visible_to(request.user)),
            "clients_left_out": exporting.left_out(Client.objects.visible_to(request.user)),
        },
    )


@role_required(ADMINISTRATOR)
def import_template(request: AuthenticatedRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in importing.COLUMNS:
        raise Http404
    fmt = _format(fmt)
    data = spreadsheets.dataset(importing.template_rows(kind), [], "Import")
    stem = "mall-stodpersoner" if kind == importing.SUPPORT_PERSONS else "mall-klienter"
    return exporting.response(data, fmt, stem)


def _import_page(request: AuthenticatedRequest, form: ImportForm, **extra: Any) -> HttpResponse:
    return render(
        request,
        "supportpersons/import.html",
        {
            "form": form,
            "support_person_columns": importing.SUPPORT_PERSON_COLUMNS,
            "client_columns": importing.CLIENT_COLUMNS,
            "max_rows": importing.MAX_ROWS,
            **extra,
        },
    )


@role_required(ADMINISTRATOR)
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    """Upload, then a preview with every row's errors. Nothing is saved here: a file with
    no errors is kept in the (server-side) session until it is confirmed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return _import_page(request, form)
    kind, programme = form.cleaned_data["kind"], form.cleaned_data["programme"]
    upload = form.cleaned_data["file"]
    try:
        headers, raw = importing.read_rows(upload.name, upload.read())
    except importing.ImportFileError as error:
        form.add_error("file", str(error))
        return _import_page(request, form)
    checked = importing.validate(
        kind,
        headers,
        raw,
        programme=programme if kind == importing.SUPPORT_PERSONS else None,
        user=request.user,
    )
    token = ""
    request.session.pop(IMPORT_SESSION_KEY, None)
    if checked.ok:
        token = secrets.token_urlsafe(16)
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "kind": kind,
            "programme": programme.pk if programme else None,
            "headers": headers,
            "rows": raw,
        }
    return _import_page(request, form, checked=checked, token=token, kind=kind)


@require_POST
@role_required(ADMINISTRATOR)
def import_confirm(request: AuthenticatedRequest) -> HttpResponse:
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("The preview has expired or was already saved: upload again."))
        return redirect("supportpersons:import")
    request.session.pop(IMPORT_SESSION_KEY)
    programme = Programme.objects.filter(pk=stored["programme"]).first()
    checked = importing.save(
        stored["kind"], stored["headers"], stored["rows"], programme=programme, by=request.user
    )
    if not checked.ok:
        messages.error(request, _("The register has changed since the preview: nothing saved."))
        return _import_page(request, ImportForm(), checked=checked, kind=stored["kind"])
    imported = len(checked.objects)
    messages.success(
        request,
        ngettext("%(count)s row imported.", "%(count)s rows imported.", imported)
        % {"count": intcomma(imported)},
    )
    if stored["kind"] == importing.SUPPORT_PERSONS:
        return redirect("supportpersons:list")
    return redirect("overview:clients")


# --- Training events -----------------------------------------------------------------------


@role_required(ADMINISTRATOR)
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    start, end = PeriodForm.default()
    period = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    page, query = paginate(
        request,
        screens.events_for_list(TrainingEvent.objects.all()).order_by("-on", "-id"),
        EVENTS_PER_PAGE,
    )
    per_event, per_locality = screens.attendance_in_period(start, end)
    return render(
        request,
        "supportpersons/events.html",
        {
            "page": page,
            "period": period,
            "start": start,
            "end": end,
            "per_event": per_event,
            "per_locality": per_locality,
            "query": query.urlencode(),
        },
    )


@role_required(ADMINISTRATOR)
def event_new(request: AuthenticatedRequest) -> HttpResponse:
    form = TrainingEventForm(request.POST or None)
    if form.is_valid():
        event = form.save()
        messages.success(request, _("The event has been created."))
        return redirect("supportpersons:event", pk=event.pk)
    return render(
        request,
        "supportpersons/form.html",
        {
            "form": form,
            "title": _("New training event"),
            "cancel_url": reverse("supportpersons:events"),
        },
    )


def _registrable(event: TrainingEvent) -> Any:
    return SupportPerson.objects.filter(
        programme_id=event.programme_id,
        locality_id=event.locality_id,
        status__in=services.registrable(event),
    ).exclude(pk__in=event.registrations.current().values("support_person_id"))


def _event_page(request: AuthenticatedRequest, event: TrainingEvent, **forms: Any) -> HttpResponse:
    registrations = list(
        event.registrations.current()
        .select_related("support_person")
        .order_by("support_person__search_name", "support_person__id")
    )
    return render(
        request,
        "supportpersons/event.html",
        {
            "event": event,
            "registrations": registrations,
            "attended": sum(1 for r in registrations if r.attended),
            "today": timezone.localdate(),
            "register_form": forms.get("register_form")
            or RegistrationForm(people=_registrable(event)),
            "cancel_form": forms.get("cancel_form") or CancelForm(),
            # A refused action is said at the top: its form may be gone (a cancelled event).
            "errors": [forms["error"]]
            if forms.get("error")
            else [
                e
                for name, form in forms.items()
                if name != "error"
                for e in form.non_field_errors()
            ],
        },
    )


@role_required(ADMINISTRATOR)
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _event_page(request, get_training_event_for_user(request, pk))


@require_POST
@role_required(ADMINISTRATOR)
def event_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_training_event_for_user(request, pk, write=True)
    form = RegistrationForm(request.POST, people=_registrable(event))
    if form.is_valid():
        try:
            added = services.registrations_add(
                event=event, people=form.cleaned_data["people"], by=request.user
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s registered.", "%(count)s registered.", len(added))
                % {"count": len(added)},
            )
            return redirect("supportpersons:event", pk=event.pk)
    return _event_page(request, event, register_form=form)


@require_POST
@role_required(ADMINISTRATOR)
def event_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_training_event_for_user(request, pk, write=True)
    attended = {
        int(v)
        for v in request.POST.getlist("attended")
        if v.isascii() and v.isdigit() and len(v) < 19
    }
    try:
        services.attendance_record(event=event, attended=attended, by=request.user)
    except ServiceError as error:
        return _event_page(request, event, error=error.message)
    messages.success(request, _("The attendance has been saved."))
    return redirect("supportpersons:event", pk=event.pk)


@role_required(ADMINISTRATOR)
def event_unregister(request: AuthenticatedRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Removing a registration asks for a confirmation on its own page first (GOV.UK's
    confirmation before an irreversible step); only a post carrying `confirm` removes."""
    event = get_training_event_for_user(request, pk, write=True)
    registration = get_object_or_404(
        event.registrations.current().select_related("support_person"), pk=registration_pk
    )
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [registration.support_person])
    error = ""
    if request.method == "POST" and "confirm" in request.POST:
        try:
            services.registration_remove(registration=registration, by=request.user)
        except ServiceError as refused:
            error = refused.message
        else:
            messages.success(request, _("The registration has been removed."))
            return redirect("supportpersons:event", pk=event.pk)
    return render(
        request,
        "supportpersons/event_unregister.html",
        {"event": event, "registration": registration, "error": error},
    )


@require_POST
@role_required(ADMINISTRATOR)
def event_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_training_event_for_user(request, pk, write=True)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.training_event_cancel(
                event=event, reason=form.cleaned_data["reason"], by=request.user
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event has been cancelled."))
            return redirect("supportpersons:event", pk=event.pk)
    return _event_page(request, event, cancel_form=form)


@require_POST
@role_required(ADMINISTRATOR)
def event_held(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_training_event_for_user(request, pk, write=True)
    try:
        services.training_event_mark_held(event=event, by=request.user)
    except ServiceError as error:
        return _event_page(request, event, error=error.message)
    messages.success(request, _("The event is marked as held."))
    return redirect("supportpersons:event", pk=event.pk)


# --- Collaboration -------------------------------------------------------------------------


@role_required(ADMINISTRATOR)
def collaboration(request: AuthenticatedRequest) -> HttpResponse:
    form = CollaborationForm(request.POST or None)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("supportpersons:collaboration")
    page = Paginator(
        CollaborationActivity.objects.select_related("programme").order_by("-on", "-id"), 25
    ).get_page(request.GET.get("page"))
    return render(
        request, "supportpersons/collaboration.html", {"form": form, "page": page, "query": ""}
    )
