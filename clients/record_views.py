"""Acting on what is kept about a client, one screen each (issue 15, item 2): renew or
withdraw a consent, follow up or end a risk assessment or measure, add, edit or end a
contact. Who may: record_access.py (the client's unit manager and support person act, an
administrator reads: 403; out of reach: 404). Adding a contact is recording on the client,
open to whoever may see it, as recording a consent is (views.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stodperson.concurrency import StaleVersion, version_of
from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.errors import ServiceError
from stodperson.types import AuthenticatedRequest

from . import record_services as services
from .access import get_client_for_user
from .models import Client, Consent, Contact, RiskMeasure
from .record_access import get_record_for_user
from .record_forms import (
    ConsentRenewForm,
    ConsentWithdrawForm,
    ContactEndForm,
    ContactForm,
    RiskEndForm,
    RiskFollowUpForm,
    VersionedForm,
)

CLIENT = "client__unit__programme"
SAVE = gettext_lazy("Save")


def _saved(form: forms.BaseForm, record: Any, write: Callable[[], Any]) -> bool:
    """Run the write; on a refusal, its message at the top of the form (and in the summary).
    On a stale version the form is filled in again against the version saved now, so that
    a second save is a decision taken knowingly."""
    try:
        write()
    except StaleVersion as stale:
        data = form.data.copy()  # type: ignore[attr-defined]
        data["version"] = version_of(type(record).objects.get(pk=record.pk))
        form.data = data
        form.add_error(None, stale.message)
        return False
    except ServiceError as error:
        form.add_error(None, error.message)
        return False
    return True


def _page(
    request: AuthenticatedRequest,
    *,
    client: Client,
    title: str | Promise,
    form: forms.BaseForm | None,
    record: Any = None,
    closed: str = "",
    submit: str | Promise = SAVE,
    danger: bool = False,
    history: Any = None,
) -> HttpResponse:
    return render(
        request,
        "clients/record_action.html",
        {
            "client": client,
            "title": title,
            "form": form,
            "record": record,
            "closed": closed,
            "submit": submit,
            "danger": danger,
            "history": history,
        },
    )


def _done(request: AuthenticatedRequest, client_id: int, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("overview:client", pk=client_id)


def _bound(form_class: type[VersionedForm], request: AuthenticatedRequest, record: Any) -> Any:
    return form_class(request.POST or None, record=record)


# --- Consents ------------------------------------------------------------------------------


def _consent(request: AuthenticatedRequest, pk: int) -> Consent:
    return get_record_for_user(
        request, Consent.objects.select_related(CLIENT, "replaced_by"), pk, write=True
    )


def _purpose_history(consent: Consent) -> Any:
    return Consent.objects.filter(client_id=consent.client_id, purpose=consent.purpose).order_by(
        "-given_on", "-id"
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def consent_renew(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = _consent(request, pk)
    form = _bound(ConsentRenewForm, request, consent)
    closed = _("This consent has already been renewed.") if consent.replaced_by_id else ""
    if not closed and form.is_valid():
        data = form.cleaned_data
        if _saved(
            form,
            consent,
            lambda: services.consent_renew(
                consent=consent,
                given_on=data["given_on"],
                review_on=data["review_on"],
                given_by=data["given_by"],
                given_as=data["given_as"],
                note=data["note"],
                version=data["version"],
                by=request.user,
            ),
        ):
            return _done(request, consent.client_id, _("The consent has been renewed."))
    return _page(
        request,
        client=consent.client,
        title=gettext_lazy("Renew a consent"),
        form=form,
        record=consent,
        closed=closed,
        history=_purpose_history(consent),
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = _consent(request, pk)
    form = _bound(ConsentWithdrawForm, request, consent)
    closed = ""
    if consent.replaced_by_id:
        closed = _("This consent has been renewed: withdraw the current one.")
    elif consent.withdrawn_on:
        closed = _("The consent was withdrawn on %(day)s.") % {
            "day": f"{consent.withdrawn_on:%Y-%m-%d}"
        }
    if not closed and form.is_valid():
        data = form.cleaned_data
        if _saved(
            form,
            consent,
            lambda: services.consent_withdraw(
                consent=consent,
                withdrawn_on=data["withdrawn_on"],
                note=data["note"],
                version=data["version"],
                by=request.user,
            ),
        ):
            return _done(request, consent.client_id, _("The consent has been withdrawn."))
    return _page(
        request,
        client=consent.client,
        title=gettext_lazy("Withdraw a consent"),
        form=form,
        record=consent,
        closed=closed,
        submit=gettext_lazy("Withdraw the consent"),
        danger=True,
        history=_purpose_history(consent),
    )


# --- Risk assessments and measures ----------------------------------------------------------


def _measure(request: AuthenticatedRequest, pk: int) -> RiskMeasure:
    return get_record_for_user(
        request, RiskMeasure.objects.select_related(CLIENT, "consent"), pk, write=True
    )


def _measure_closed(measure: RiskMeasure) -> str:
    if measure.ended_on is None:
        return ""
    return _("The measure ended on %(day)s.") % {"day": f"{measure.ended_on:%Y-%m-%d}"}


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def risk_follow_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    form = _bound(RiskFollowUpForm, request, measure)
    closed = _measure_closed(measure)
    if not closed and form.is_valid():
        data = form.cleaned_data
        if _saved(
            form,
            measure,
            lambda: services.risk_measure_follow_up(
                measure=measure,
                followed_up_on=data["followed_up_on"],
                outcome=data["outcome"],
                next_follow_up_on=data["next_follow_up_on"],
                consent=data.get("consent"),
                version=data["version"],
                by=request.user,
            ),
        ):
            return _done(request, measure.client_id, _("The follow-up has been recorded."))
    return _page(
        request,
        client=measure.client,
        title=gettext_lazy("Follow up a risk assessment or measure"),
        form=form,
        record=measure,
        closed=closed,
        history=measure.follow_ups.select_related("by"),
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def risk_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    form = _bound(RiskEndForm, request, measure)
    closed = _measure_closed(measure)
    if not closed and form.is_valid():
        data = form.cleaned_data
        if _saved(
            form,
            measure,
            lambda: services.risk_measure_end(
                measure=measure,
                ended_on=data["ended_on"],
                reason=data["reason"],
                version=data["version"],
                by=request.user,
            ),
        ):
            return _done(request, measure.client_id, _("The measure has been ended."))
    return _page(
        request,
        client=measure.client,
        title=gettext_lazy("End a risk assessment or measure"),
        form=form,
        record=measure,
        closed=closed,
        submit=gettext_lazy("End"),
        danger=True,
    )


# --- Contacts --------------------------------------------------------------------------------


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def contact_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = get_client_for_user(request, pk)
    form = ContactForm(request.POST or None, client=client)
    if form.is_valid():
        data = form.cleaned_data
        if _saved(
            form,
            None,
            lambda: services.contact_create(
                client=client,
                role=data["role"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                consent=data["consent"],
                by=request.user,
            ),
        ):
            return _done(request, client.pk, _("The contact has been added."))
    return _page(request, client=client, title=gettext_lazy("Add a contact"), form=form)


def _contact(request: AuthenticatedRequest, pk: int) -> Contact:
    return get_record_for_user(
        request, Contact.objects.select_related(CLIENT, "consent"), pk, write=True
    )


def _contact_closed(contact: Contact) -> str:
    if contact.ended_on is None:
        return ""
    return _("The contact ended on %(day)s.") % {"day": f"{contact.ended_on:%Y-%m-%d}"}


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def contact_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact, client=contact.client)
    closed = _contact_closed(contact)
    if not closed and form.is_valid():
        data = form.cleaned_data
        if _saved(
            form,
            contact,
            lambda: services.contact_update(
                contact=contact,
                role=data["role"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                consent=data["consent"],
                version=data["version"],
                by=request.user,
            ),
        ):
            return _done(request, contact.client_id, _("The contact has been saved."))
    return _page(
        request,
        client=contact.client,
        title=gettext_lazy("Edit a contact"),
        form=form,
        closed=closed,
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def contact_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    form = _bound(ContactEndForm, request, contact)
    closed = _contact_closed(contact)
    if not closed and form.is_valid():
        data = form.cleaned_data
        if _saved(
            form,
            contact,
            lambda: services.contact_end(
                contact=contact,
                ended_on=data["ended_on"],
                reason=data["reason"],
                version=data["version"],
                by=request.user,
            ),
        ):
            return _done(request, contact.client_id, _("The contact has been ended."))
    return _page(
        request,
        client=contact.client,
        title=gettext_lazy("End a contact"),
        form=form,
        record=contact,
        closed=closed,
        submit=gettext_lazy("End"),
        danger=True,
    )
