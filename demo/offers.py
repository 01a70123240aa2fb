"""The demo's offers (issue 16, item 3): an open patient-committee request in stod.erik's
locality, offered an hour ago to him and two other active volunteers there, so that his
phone shows an offer to answer and the office's request page shows offers out."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from assignments.models import Offer, SupportRequest
from stodperson.roles import ADMINISTRATORS_GROUP
from supportpersons.models import SupportPerson

DEMO_VOLUNTEER = "stod.erik"
OTHERS = 2


def seed_offers(*, now: datetime) -> int:
    """Create the offers; the number made (none when there is no open request to offer)."""
    erik = SupportPerson.objects.filter(user__username=DEMO_VOLUNTEER).first()
    if erik is None:
        return 0
    requests = SupportRequest.objects.open().filter(
        client__unit__programme_id=erik.programme_id, withdrawn_at__isnull=True
    )
    request = (
        requests.filter(client__unit__locality_id=erik.locality_id).order_by("-received_at").first()
        or requests.order_by("-received_at").first()
    )
    if request is None:
        return 0
    others = list(
        SupportPerson.objects.filter(
            programme_id=erik.programme_id,
            locality_id=erik.locality_id,
            status=SupportPerson.Status.ACTIVE,
        )
        .exclude(pk=erik.pk)
        .order_by("pk")[:OTHERS]
    )
    office = User.objects.filter(groups__name=ADMINISTRATORS_GROUP).order_by("pk").first()
    offered_at = max(now - timedelta(hours=1), request.received_at + timedelta(minutes=5))
    expires_at = offered_at + timedelta(hours=request.client.unit.programme.offer_expiry_hours)
    for person in [erik, *others]:
        Offer.objects.create(
            request=request,
            support_person=person,
            offered_at=offered_at,
            offered_by=office,
            expires_at=expires_at,
            message="Patienten vill gärna ha besök på eftermiddagen.",
        )
    return 1 + len(others)
