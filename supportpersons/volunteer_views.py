"""The volunteer's account (issue 16): the office's invitation and the link that sets the
password, the confidentiality undertaking, the volunteer's own details and their training
registrations; and the office's record of a renewed background check. The volunteer's home
page, which lists their assignments, is overview.volunteer_views.home."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import note_reads
from audit.models import ReadLogEntry
from stodperson.concurrency import StaleVersion, lock_unchanged
from stodperson.decorators import ADMINISTRATOR, role_required
from stodperson.errors import ServiceError
from stodperson.types import AuthenticatedRequest

from . import services
from .access import get_support_person_for_user
from .invitations import invitation_for_token, invitation_send, invitation_use
from .models import SupportPerson, TrainingEvent
from .volunteer_access import volunteer_view
from .volunteer_forms import (
    BackgroundCheckForm,
    InvitationPasswordForm,
    UndertakingForm,
    VolunteerDetailsForm,
)
from .volunteers import (
    accepted_undertaking,
    background_check_record,
    current_undertaking,
    undertaking_accept,
)

HOME = "overview:volunteer_home"

# --- The office's side ---------------------------------------------------------------------


@require_POST
@role_required(ADMINISTRATOR)
def invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_support_person_for_user(request, pk, write=True)
    try:
        invitation_send(support_person=person, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation has been sent."))
    return redirect("supportpersons:detail", pk=person.pk)


@role_required(ADMINISTRATOR)
def background_check_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_support_person_for_user(request, pk, write=True)
    form = BackgroundCheckForm(request.POST or None)
    if form.is_valid():
        try:
            background_check_record(support_person=person, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The background check has been recorded."))
            return redirect("supportpersons:detail", pk=person.pk)
    return render(
        request,
        "supportpersons/action.html",
        {"form": form, "person": person, "title": _("Record a renewed background check")},
    )


# --- The link in the invitation (no login) --------------------------------------------------


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password through the invitation's link. A link that no longer works (used,
    replaced by a newer one, expired or unknown) gets one plain page that says so."""
    found = invitation_for_token(token) if len(token) < 100 else None
    if found is None or found.support_person.user is None:
        return render(request, "supportpersons/invitation_invalid.html", status=410)
    user = found.support_person.user
    form = InvitationPasswordForm(request.POST or None, user=user)
    if form.is_valid():
        try:
            invitation_use(token=token, password=form.cleaned_data["password1"])
        except ServiceError:
            return render(request, "supportpersons/invitation_invalid.html", status=410)
        messages.success(request, _("Your password has been saved. Log in with it now."))
        return redirect("login")
    return render(
        request, "supportpersons/invitation.html", {"form": form, "username": user.get_username()}
    )


# --- The volunteer's own -----------------------------------------------------------------


@volunteer_view(undertaking=False)
def undertaking(request: AuthenticatedRequest, person: SupportPerson) -> HttpResponse:
    today = timezone.localdate()
    version = current_undertaking(person.programme_id, today=today)
    accepted = accepted_undertaking(person)
    is_current = accepted is not None and version is not None and accepted.version_id == version.pk
    form = UndertakingForm(
        request.POST or None, initial={"version": version.pk if version else None}
    )
    if version is not None and not is_current and form.is_valid():
        if form.cleaned_data["version"] != version.pk:
            form.add_error(None, _("A new version has been published: read it and accept again."))
        else:
            undertaking_accept(support_person=person, version=version, by=request.user)
            messages.success(request, _("You have accepted the confidentiality undertaking."))
            return redirect(HOME)
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [person])
    return render(
        request,
        "supportpersons/undertaking.html",
        {
            "person": person,
            "version": version,
            "accepted": accepted,
            "is_current": is_current,
            "form": form,
        },
    )


@volunteer_view()
def details(request: AuthenticatedRequest, person: SupportPerson) -> HttpResponse:
    form = VolunteerDetailsForm(request.POST or None, instance=person)
    if form.is_valid():
        try:
            with transaction.atomic():
                lock_unchanged(SupportPerson.objects.all(), person.pk, form.cleaned_data["version"])
                form.save()
        except StaleVersion as stale:
            fresh = SupportPerson.objects.get(pk=person.pk)
            data = request.POST.copy()
            data["version"] = fresh.updated_at.isoformat()
            form = VolunteerDetailsForm(data, instance=fresh)
            form.is_valid()
            form.add_error(None, stale.message)
        else:
            messages.success(request, _("Your details have been saved."))
            return redirect(HOME)
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [person])
    return render(request, "supportpersons/volunteer_details.html", {"form": form})


def _open_event(person: SupportPerson, pk: int) -> TrainingEvent:
    """A planned event of the volunteer's programme and locality; 404 for any other."""
    return get_object_or_404(
        TrainingEvent.objects.filter(
            programme_id=person.programme_id,
            locality_id=person.locality_id,
            status=TrainingEvent.Status.PLANNED,
            on__gte=timezone.localdate(),
        ),
        pk=pk,
    )


@require_POST
@volunteer_view()
def event_register(request: AuthenticatedRequest, person: SupportPerson, pk: int) -> HttpResponse:
    event = _open_event(person, pk)
    try:
        services.registrations_add(event=event, people=[person], by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are registered for %(event)s.") % {"event": event.title})
    return redirect(HOME)


@require_POST
@volunteer_view()
def event_unregister(request: AuthenticatedRequest, person: SupportPerson, pk: int) -> HttpResponse:
    event = _open_event(person, pk)
    registration = event.registrations.current().filter(support_person=person).first()
    if registration is None:
        raise Http404
    try:
        services.registration_remove(registration=registration, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your registration for %(event)s is withdrawn.") % {"event": event.title}
        )
    return redirect(HOME)
