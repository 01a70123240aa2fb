"""The checks of the consents a client's measures rest on (issue 15, item 2), beside
checks.py (which registers them in CHECKS) and sharing flags/sync.py with it."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, Consent, RiskMeasure

from .models import Flag
from .sync import CheckResult, Wanted, synced

Kind = Flag.Kind


def _consent_in_force(day: date) -> Q:
    """The measure's consent is in force on `day` (Consent.is_valid_on), and the client's
    own: given, not withdrawn, not past review, not replaced by a renewal."""
    return (
        Q(consent__isnull=False)
        & Q(consent__client_id=F("client_id"))
        & Q(consent__replaced_by__isnull=True)
        & Q(consent__given_on__lte=day)
        & (Q(consent__withdrawn_on__isnull=True) | Q(consent__withdrawn_on__gt=day))
        & (Q(consent__review_on__isnull=True) | Q(consent__review_on__gte=day))
    )


def check_measure_without_consent(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """A protective or restrictive measure (skydds- och begränsningsåtgärd) of an active
    client, decided and not ended, that rests on no consent in force: none recorded, or one
    withdrawn, past its review date, replaced, or another client's. SOU 2006:110: there is
    no legal basis for coercion in this care, so such a measure needs the client's consent.
    Following the measure up with a consent in force, renewing the consent, or ending the
    measure resolves the flag on the next run. One query for the rule."""
    rows = (
        RiskMeasure.objects.filter(
            kind__in=RiskMeasure.NEEDS_CONSENT,
            decided_on__lte=today,
            client__in=Client.objects.active_on(today),
        )
        .exclude(ended_on__lte=today)
        .exclude(_consent_in_force(today))
        .values_list(
            "pk",
            "client_id",
            "consent_id",
            "consent__withdrawn_on",
            "consent__review_on",
        )
        .order_by()
    )
    wanted = {}
    for pk, client_id, consent_id, withdrawn_on, review_on in rows:
        if consent_id is None:
            detail = _("No consent recorded")
        elif withdrawn_on is not None and withdrawn_on <= today:
            detail = _("Consent withdrawn %(date)s") % {"date": withdrawn_on.isoformat()}
        elif review_on is not None and review_on < today:
            detail = _("Consent past review %(date)s") % {"date": review_on.isoformat()}
        else:
            detail = _("The consent is not in force")
        wanted[pk] = Wanted(client_id, detail)
    return synced({Kind.MEASURE_WITHOUT_CONSENT: wanted}, now)


def resolve_review_of_replaced_consent(old: Consent, new: Consent) -> None:
    """A renewed consent's review flag is resolved at once, in the renewal's transaction
    (clients.record_services.on_consent_replaced): the check would not raise it again, since
    it looks at current consents only."""
    Flag.objects.open().filter(kind=Kind.CONSENT_REVIEW, target_id=old.pk).update(
        resolved_at=timezone.now()
    )
