"""What a volunteer is told about an offer, in the app and by mail: a new offer, and an
offer closed because the request was answered or withdrawn. The office is told when an
offer is accepted.

Email and SMS are not secure channels (domain.md, "Privacy obligations"): the texts carry no
patient data at all, not the ward, the locality or a wish; only that there is an offer, when
it expires and a link behind the login. The in-app side is the offer itself (its status and
closing_message on the volunteer's page), so the app and the mail never disagree.

The mail goes after the commit (transaction.on_commit), so a rolled-back offer sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from supportpersons.models import SupportPerson

from .offer_models import Offer

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def offer_url(offer: Offer) -> str:
    return _absolute(reverse("assignments:my_offer", kwargs={"pk": offer.pk}))


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j b H:i")


def _address(person: SupportPerson) -> str:
    """The person's own address in the pool, or else their login's."""
    if person.email:
        return person.email
    user = person.user
    return user.email if user is not None else ""


def offer_mail(offer: Offer) -> tuple[str, str]:
    """Subject and body of the mail for a new offer."""
    subject = _("Support person register: a new offer of an assignment")
    body = render_to_string(
        "emails/offer_new.txt", {"expires": _when(offer.expires_at), "url": offer_url(offer)}
    )
    return subject, body


def offer_sms_text(offer: Offer) -> str:
    """The same as one SMS (at most 160 characters), for the office to send by phone."""
    return _("New offer of a support person assignment. Answer by %(expires)s: %(url)s") % {
        "expires": _when(offer.expires_at),
        "url": offer_url(offer),
    }


def closed_mail(offer: Offer) -> tuple[str, str]:
    subject = _("Support person register: an offer has closed")
    body = render_to_string(
        "emails/offer_closed.txt", {"message": offer.closing_message, "url": offer_url(offer)}
    )
    return subject, body


def accepted_mail(offer: Offer) -> tuple[str, str]:
    subject = _("Support person register: an offer has been accepted")
    url = _absolute(reverse("assignments:request", kwargs={"pk": offer.request_id}))
    body = render_to_string("emails/offer_accepted.txt", {"url": url})
    return subject, body


def _send(address: str, subject: str, body: str) -> None:
    if not address:
        return
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        # The offer stands in the app whatever happens to the mail.
        logger.exception("Offer mail to a support person failed")


def _offers(ids: Iterable[int]) -> list[Offer]:
    return list(
        Offer.objects.filter(pk__in=list(ids)).select_related("support_person__user").order_by("pk")
    )


def send_offer_mails(ids: list[int]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        for offer in _offers(ids):
            _send(_address(offer.support_person), *offer_mail(offer))


def send_closed_mails(ids: list[int]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        for offer in _offers(ids):
            _send(_address(offer.support_person), *closed_mail(offer))


def send_accepted_mail(offer_id: int) -> None:
    offer = Offer.objects.select_related("offered_by").get(pk=offer_id)
    if offer.offered_by is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _send(offer.offered_by.email, *accepted_mail(offer))


def close_live_offers(
    *, request_id: int, appointed: SupportPerson | None, now: datetime | None = None
) -> list[Offer]:
    """The request is answered (by `appointed`) or withdrawn: its live offers close, and
    the volunteers still waiting are told, in the app and by mail. The appointed person's
    own accepted offer stays accepted; an open offer past its time is marked expired. Runs
    inside the caller's transaction; three queries whatever the number of offers."""
    now = now or timezone.now()
    if appointed is not None:
        message = _(
            "Another support person has been appointed to this assignment. Thank you for "
            "your answer."
        )
    else:
        message = _("The request no longer needs a support person. Thank you for your answer.")
    changed, told = [], []
    for offer in Offer.objects.filter(request_id=request_id).live().select_for_update():
        if appointed is not None and offer.support_person_id == appointed.pk:
            if offer.status == Offer.Status.ACCEPTED:
                continue
            offer.status, offer.closing_message = Offer.Status.CLOSED, ""
        elif offer.state(now) == Offer.Status.EXPIRED:
            offer.status = Offer.Status.EXPIRED
        else:
            offer.status, offer.closing_message = Offer.Status.CLOSED, message
            told.append(offer.pk)
        offer.closed_at = now
        changed.append(offer)
    if changed:
        bulk_update_with_history(
            changed, Offer, ["status", "closed_at", "closing_message"], batch_size=500
        )
    if told:
        transaction.on_commit(lambda: send_closed_mails(told))
    return changed
