"""Writes on offers: make them, accept, decline, withdraw, appoint from an acceptance, and
the periodic job that marks expired ones. Keyword-only, one transaction each, ServiceError
with a Swedish message when a rule is broken; nothing is half-saved.

The decisions (issue 16, item 3):
- One acceptance per request at a time: the first wins. A second volunteer who answers
  yes is told at once that someone else was first, and their offer stays open until the
  appointment closes it (if the first is withdrawn or changes their mind, they may still
  accept). Acceptances of one request are serialised on the request row, and a partial
  unique index (offer_one_accepted_per_request) is the last word in a race.
- Accepting does not appoint: the committee appoints (förordnar) by a decision, in one step
  from the request page (offer_appoint), through services.request_appoint, which closes the
  other offers with a message. The request clock runs throughout.
- An offer expires exactly at expires_at (Offer.state); offers_expire only writes down what
  is already so, for the history and the figures.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from stodperson.errors import ServiceError
from supportpersons.eligibility import offer_blockers, offer_blockers_of
from supportpersons.models import SupportPerson

from . import services
from .models import Assignment, SupportRequest
from .offer_models import Offer
from .offer_notices import send_accepted_mail, send_closed_mails, send_offer_mails

logger = logging.getLogger(__name__)

_FIRST_WINS = _(
    "Another support person accepted this assignment first. Thank you for answering: the "
    "office will contact you if you are needed after all."
)


def _lock_open_request(request: SupportRequest) -> SupportRequest:
    """The request, locked: every write on its offers queues here."""
    locked = services._request_lock(request)
    services._ensure_open(locked)
    return locked


@transaction.atomic
def offers_make(
    *,
    request: SupportRequest,
    support_persons: list[SupportPerson],
    message: str = "",
    by: User,
    now: datetime | None = None,
) -> list[Offer]:
    """Offer the request's assignment to each of `support_persons`. Everyone must be
    eligible now (supportpersons.eligibility.offer_blockers) and without a live offer for
    it; otherwise nothing is offered to anyone and the reasons are given."""
    now = now or timezone.now()
    request = _lock_open_request(request)
    programme = request.client.unit.programme
    if programme.is_personal_assistance:
        raise ServiceError(_("Offers are made in the patient committee's programme only."))
    if not support_persons:
        raise ServiceError(_("Choose at least one support person."))
    if Offer.objects.filter(request=request, status=Offer.Status.ACCEPTED).exists():
        raise ServiceError(
            _("A support person has already accepted: appoint them, or withdraw their offer.")
        )
    already = set(
        Offer.objects.filter(request=request, support_person__in=support_persons)
        .live()
        .values_list("support_person_id", flat=True)
    )
    today = timezone.localdate(now)
    problems: list[str] = []
    blockers = offer_blockers_of(support_persons, today=today)
    for person in support_persons:
        if person.programme_id != programme.pk:
            problems.append(
                _("%(name)s belongs to another programme.") % {"name": person.display_name}
            )
        problems.extend(blockers.get(person.pk, []))
        if person.pk in already:
            problems.append(
                _("%(name)s already has an offer for this request.") % {"name": person.display_name}
            )
    if problems:
        raise ServiceError(" ".join(problems))
    expires_at = now + timedelta(hours=programme.offer_expiry_hours)
    offers = [
        Offer.objects.create(
            request=request,
            support_person=person,
            offered_at=now,
            offered_by=by,
            expires_at=expires_at,
            message=message.strip(),
        )
        for person in support_persons
    ]
    ids = [offer.pk for offer in offers]
    transaction.on_commit(lambda: send_offer_mails(ids))
    return offers


def _check_answerable(offer: Offer, now: datetime) -> None:
    """Why the volunteer cannot answer the offer now, if they cannot."""
    state = offer.state(now)
    if state == Offer.Status.EXPIRED:
        raise ServiceError(
            _("The offer expired %(when)s and can no longer be answered.")
            % {"when": date_format(timezone.localtime(offer.expires_at), "DATETIME_FORMAT")}
        )
    if state == Offer.Status.DECLINED:
        raise ServiceError(_("You have already declined this offer."))
    if state in (Offer.Status.WITHDRAWN, Offer.Status.CLOSED):
        raise ServiceError(
            offer.closing_message or _("The offer is closed and can no longer be answered.")
        )


@transaction.atomic
def offer_accept(*, offer: Offer, by: User, now: datetime | None = None) -> Offer:
    """The volunteer says yes. The first acceptance of a request wins (module docstring);
    accepting twice is harmless."""
    now = now or timezone.now()
    try:
        _lock_open_request(offer.request)
    except ServiceError:
        raise ServiceError(_("The request no longer needs a support person.")) from None
    offer = Offer.objects.select_for_update().select_related("support_person").get(pk=offer.pk)
    if offer.status == Offer.Status.ACCEPTED:
        return offer
    _check_answerable(offer, now)
    if Offer.objects.filter(request_id=offer.request_id, status=Offer.Status.ACCEPTED).exists():
        raise ServiceError(_FIRST_WINS)
    blockers = offer_blockers(offer.support_person, today=timezone.localdate(now))
    if blockers:
        raise ServiceError(" ".join(blockers))
    offer.status = Offer.Status.ACCEPTED
    offer.answered_at = now
    try:
        with transaction.atomic():
            offer.save(update_fields=["status", "answered_at"])
    except IntegrityError:
        # The partial unique index, should two answers get past the lock.
        raise ServiceError(_FIRST_WINS) from None
    transaction.on_commit(lambda: send_accepted_mail(offer.pk))
    return offer


@transaction.atomic
def offer_decline(*, offer: Offer, reason: str, by: User, now: datetime | None = None) -> Offer:
    """The volunteer says no, with the reason. One who accepted may still say no until
    the appointment; then another volunteer may accept."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give the reason for declining."))
    try:
        _lock_open_request(offer.request)
    except ServiceError:
        raise ServiceError(_("The request no longer needs a support person.")) from None
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.ACCEPTED:
        _check_answerable(offer, now)
    offer.status = Offer.Status.DECLINED
    offer.answered_at = now
    offer.decline_reason = reason
    offer.save(update_fields=["status", "answered_at", "decline_reason"])
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, by: User, now: datetime | None = None) -> Offer:
    """The office takes an open or accepted offer back; the volunteer is told."""
    now = now or timezone.now()
    _lock_open_request(offer.request)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.state(now) not in (Offer.Status.OPEN, Offer.Status.ACCEPTED):
        raise ServiceError(_("Only an open or accepted offer can be withdrawn."))
    offer.status = Offer.Status.WITHDRAWN
    offer.closed_at = now
    offer.closing_message = _("The office has withdrawn the offer. Thank you for your answer.")
    offer.save(update_fields=["status", "closed_at", "closing_message"])
    transaction.on_commit(lambda: send_closed_mails([offer.pk]))
    return offer


@transaction.atomic
def offer_appoint(
    *,
    offer: Offer,
    late_reason: str = "",
    delay_excused: bool = False,
    by: User,
) -> Assignment:
    """Förordnande in one step from an acceptance: the accepting volunteer is appointed
    today (services.request_appoint: the deadline, the reason for a delay), and the other
    offers close with a message."""
    request = services._request_lock(offer.request)
    offer = Offer.objects.select_for_update().select_related("support_person").get(pk=offer.pk)
    if offer.status != Offer.Status.ACCEPTED:
        raise ServiceError(_("Only an accepted offer leads to an appointment."))
    return services.request_appoint(
        request=request,
        support_person=offer.support_person,
        started_on=timezone.localdate(),
        late_reason=late_reason,
        delay_excused=delay_excused,
        by=by,
    )


def offers_expire(*, now: datetime | None = None) -> int:
    """Mark the open offers past expires_at as expired (the periodic job). Each run claims
    its rows with SKIP LOCKED, so two workers never mark the same offer; a fixed number of
    queries whatever the number of offers. Returns how many were marked."""
    now = now or timezone.now()
    with transaction.atomic():
        offers = list(
            Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("pk")
        )
        for offer in offers:
            offer.status = Offer.Status.EXPIRED
            offer.closed_at = now
        if offers:
            bulk_update_with_history(offers, Offer, ["status", "closed_at"], batch_size=500)
    logger.info("Offers marked expired: %s", len(offers))
    return len(offers)
