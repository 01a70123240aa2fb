"""Acting on what is kept about a client (issue 15, item 2): renew and withdraw a consent,
follow up and end a risk assessment or measure, add, edit and end a contact.

Each write is keyword-only, in a transaction, and checks the version the form was filled in
against (stodperson/concurrency.py) on a locked row, so that two people acting at once do
not silently lose one change. The forms (record_forms.py) say what is wrong at the field;
the rules are checked here again, on the locked row, and a ServiceError says it otherwise.
Every save goes through the model, so the change history (django-simple-history) has it.

The checks that raise flags stand above this app (flags/). Where a write removes a flag's
cause at once, the flags app registers what to do with it when it is ready, and it runs in
the same transaction (as audit/subjects.py, docs/architecture.md): `on_consent_replaced`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stodperson.concurrency import lock_unchanged
from stodperson.errors import ServiceError, check_done_date

from .models import Client, Consent, Contact, RiskFollowUp, RiskMeasure

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# simple-history's column for the reason of a change.
_CHANGE_REASON_LENGTH = 100

ConsentReplaced = Callable[[Consent, Consent], None]
_ON_CONSENT_REPLACED: list[ConsentReplaced] = []


def on_consent_replaced(hook: ConsentReplaced) -> None:
    """Call `hook(old, new)` in the transaction of every renewal (the flags app resolves the
    old consent's review flag with it)."""
    if hook not in _ON_CONSENT_REPLACED:
        _ON_CONSENT_REPLACED.append(hook)


def _reason(record: object, text: str) -> None:
    record._change_reason = text[:_CHANGE_REASON_LENGTH]  # type: ignore[attr-defined]


# --- Consents ------------------------------------------------------------------------------


def check_review_date(review_on: date, *, given_on: date) -> None:
    """A renewal's review date: after the day it was given, and not already passed (it would
    be past review, and flagged, at once)."""
    if review_on <= given_on:
        raise ServiceError(_("The review date must be after the day the consent was given."))
    if review_on <= timezone.localdate():
        raise ServiceError(_("The review date must be in the future."))


@transaction.atomic
def consent_renew(
    *,
    consent: Consent,
    given_on: date,
    review_on: date,
    given_by: str,
    given_as: str,
    note: str,
    version: str,
    by: User,
) -> Consent:
    """Renew a consent: a new row for the same purpose, and the old one marked as replaced
    by it, so that the purpose's history is kept. The measures and the relatives' contacts
    that rested on the old consent rest on the new one. A withdrawn consent may be renewed:
    the client has consented again."""
    old = lock_unchanged(Consent.objects.all(), consent.pk, version)
    if old.replaced_by_id is not None:
        raise ServiceError(_("The consent has already been renewed."))
    check_done_date(given_on, not_before=old.given_on, what=_("The date the consent was given"))
    check_review_date(review_on, given_on=given_on)
    new = Consent(
        client_id=old.client_id,
        purpose=old.purpose,
        given_on=given_on,
        review_on=review_on,
        given_by=given_by,
        given_as=given_as,
        note=note.strip(),
        recorded_by=by,
    )
    _reason(new, _("Renewal"))
    new.save()
    old.replaced_by = new
    _reason(old, _("Renewed"))
    old.save(update_fields=["replaced_by", "updated_at"])
    for measure in RiskMeasure.objects.filter(consent=old, ended_on__isnull=True):
        measure.consent = new
        _reason(measure, _("The consent was renewed"))
        measure.save(update_fields=["consent", "updated_at"])
    for contact in Contact.objects.filter(consent=old, ended_on__isnull=True):
        contact.consent = new
        _reason(contact, _("The consent was renewed"))
        contact.save(update_fields=["consent", "updated_at"])
    for hook in _ON_CONSENT_REPLACED:
        hook(old, new)
    return new


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, withdrawn_on: date, note: str, version: str, by: User
) -> Consent:
    """The client (or whoever gave it) withdraws the consent. What rested on it stays as it
    is: the checks flag the measures and contacts that still do (flags/consent_checks.py)."""
    consent = lock_unchanged(Consent.objects.all(), consent.pk, version)
    if consent.replaced_by_id is not None:
        raise ServiceError(_("The consent has been renewed: withdraw the current one."))
    if consent.withdrawn_on is not None:
        raise ServiceError(_("The consent has already been withdrawn."))
    check_done_date(withdrawn_on, not_before=consent.given_on, what=_("The withdrawal date"))
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note.strip()
    _reason(consent, _("Withdrawn"))
    consent.save(update_fields=["withdrawn_on", "withdrawal_note", "updated_at"])
    return consent


def check_consent_of(consent: Consent | None, *, client_id: int) -> None:
    """A consent something is to rest on: the same client's, current and not withdrawn."""
    if consent is None:
        return
    if consent.client_id != client_id:
        raise ServiceError(_("The consent belongs to another client."))
    if consent.replaced_by_id is not None:
        raise ServiceError(_("The consent has been renewed: choose the current one."))
    if consent.withdrawn_on is not None:
        raise ServiceError(_("The consent has been withdrawn."))


# --- Risk assessments and measures ----------------------------------------------------------


def _open_measure(measure: RiskMeasure, version: str) -> RiskMeasure:
    measure = lock_unchanged(RiskMeasure.objects.all(), measure.pk, version)
    if measure.ended_on is not None:
        raise ServiceError(_("The measure has ended."))
    return measure


@transaction.atomic
def risk_measure_follow_up(
    *,
    measure: RiskMeasure,
    followed_up_on: date,
    outcome: str,
    next_follow_up_on: date,
    consent: Consent | None,
    version: str,
    by: User,
) -> RiskFollowUp:
    """Record a follow-up (the routine: "Följa upp riskbedömningar för den enskilde samt för
    skydds- och begränsningsåtgärder"): a new RiskFollowUp row, and the measure's next
    follow-up date moves on. For a protective or restrictive measure the follow-up also
    says which consent it rests on now."""
    measure = _open_measure(measure, version)
    floor = max(measure.decided_on, measure.followed_up_on or measure.decided_on)
    check_done_date(followed_up_on, not_before=floor, what=_("The follow-up date"))
    if not outcome.strip():
        raise ServiceError(_("Say what the follow-up found."))
    if next_follow_up_on <= max(followed_up_on, timezone.localdate()):
        raise ServiceError(_("The next follow-up must be in the future."))
    follow_up = RiskFollowUp(
        measure=measure,
        followed_up_on=followed_up_on,
        outcome=outcome.strip(),
        next_follow_up_on=next_follow_up_on,
        by=by,
    )
    follow_up.save()
    measure.followed_up_on = followed_up_on
    measure.follow_up_on = next_follow_up_on
    fields = ["followed_up_on", "follow_up_on", "updated_at"]
    if measure.needs_consent:
        check_consent_of(consent, client_id=measure.client_id)
        measure.consent = consent
        fields.append("consent")
    _reason(measure, _("Followed up"))
    measure.save(update_fields=fields)
    return follow_up


@transaction.atomic
def risk_measure_end(
    *, measure: RiskMeasure, ended_on: date, reason: str, version: str, by: User
) -> RiskMeasure:
    """End a risk assessment or measure: its follow-ups and its need of a consent end."""
    measure = _open_measure(measure, version)
    if not reason.strip():
        raise ServiceError(_("Give the reason for ending."))
    check_done_date(ended_on, not_before=measure.decided_on, what=_("The end date"))
    measure.ended_on = ended_on
    measure.end_reason = reason.strip()
    _reason(measure, reason.strip())
    measure.save(update_fields=["ended_on", "end_reason", "updated_at"])
    return measure


# --- Contacts --------------------------------------------------------------------------------


def _consent_for(role: str, consent: Consent | None, client_id: int) -> Consent | None:
    """A relative is contacted on a consent; the others (god man, förvaltare, case
    officers) by their office, so they rest on none."""
    if role != Contact.Role.RELATIVE:
        return None
    if consent is None:
        raise ServiceError(_("Choose the consent that allows contacting the relative."))
    check_consent_of(consent, client_id=client_id)
    return consent


@transaction.atomic
def contact_create(
    *,
    client: Client,
    role: str,
    name: str,
    phone: str,
    email: str,
    consent: Consent | None,
    by: User,
) -> Contact:
    contact = Contact(
        client=client,
        role=role,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        consent=_consent_for(role, consent, client.pk),
    )
    contact.save()
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    role: str,
    name: str,
    phone: str,
    email: str,
    consent: Consent | None,
    version: str,
    by: User,
) -> Contact:
    contact = lock_unchanged(Contact.objects.all(), contact.pk, version)
    if contact.ended_on is not None:
        raise ServiceError(_("The contact has ended and cannot be changed."))
    contact.role = role
    contact.name = name.strip()
    contact.phone = phone.strip()
    contact.email = email.strip()
    contact.consent = _consent_for(role, consent, contact.client_id)
    contact.save()
    return contact


@transaction.atomic
def contact_end(
    *, contact: Contact, ended_on: date, reason: str, version: str, by: User
) -> Contact:
    """End a contact (the god man's office ended, a relative no longer to be contacted); the
    row is kept and shown as ended."""
    contact = lock_unchanged(Contact.objects.select_related("client"), contact.pk, version)
    if contact.ended_on is not None:
        raise ServiceError(_("The contact has already ended."))
    if not reason.strip():
        raise ServiceError(_("Give the reason for ending."))
    check_done_date(ended_on, not_before=contact.client.started_on, what=_("The end date"))
    contact.ended_on = ended_on
    contact.end_reason = reason.strip()
    _reason(contact, reason.strip())
    contact.save(update_fields=["ended_on", "end_reason", "updated_at"])
    return contact
