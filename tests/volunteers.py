"""Patient-committee volunteers for the tests of issue 16: a volunteer with a login, the
undertaking accepted and a background check in date, unless told otherwise."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from clients.models import Unit
from supportpersons.models import (
    RecruitmentStep,
    SupportPerson,
    UndertakingAcceptance,
    UndertakingVersion,
)
from tests import factories

UNDERTAKING_TEXT = "Jag lovar att inte föra vidare något av det jag får veta om patienten."


def undertaking(number: int = 1, *, valid_from: dt.date | None = None) -> UndertakingVersion:
    return UndertakingVersion.objects.create(
        programme=factories.patient_committee_programme(),
        number=number,
        text=f"{UNDERTAKING_TEXT} (version {number})",
        valid_from=valid_from or timezone.localdate() - dt.timedelta(days=100),
    )


def check(person: SupportPerson, on: dt.date) -> RecruitmentStep:
    return RecruitmentStep.objects.create(
        support_person=person,
        step=RecruitmentStep.Step.BACKGROUND_CHECK,
        on=on,
        outcome=RecruitmentStep.Outcome.PASSED,
    )


def volunteer(
    username: str | None = None,
    *,
    accepted: bool = True,
    checked_on: dt.date | None = None,
    **fields: object,
) -> SupportPerson:
    """A volunteer (with a login when `username` is given), who accepted the current
    undertaking (made if missing) and whose check was done 100 days ago by default."""
    user = factories.UserFactory(username=username) if username else None
    fields.setdefault("email", f"{username or 'volontar'}@example.se")
    person = factories.SupportPersonFactory(
        programme=factories.patient_committee_programme(), user=user, **fields
    )
    return ready(person, accepted=accepted, checked_on=checked_on)


def ready(
    person: SupportPerson, *, accepted: bool = True, checked_on: dt.date | None = None
) -> SupportPerson:
    """The person may be offered an assignment: the current undertaking accepted (made if
    missing) and a background check 100 days ago, unless told otherwise."""
    user = person.user
    version = (
        UndertakingVersion.objects.filter(programme=person.programme).order_by("-number").first()
        or undertaking()
    )
    if accepted:
        UndertakingAcceptance.objects.create(
            support_person=person, version=version, accepted_at=timezone.now(), user=user
        )
    check(person, checked_on or timezone.localdate() - dt.timedelta(days=100))
    return person


def ward(name: str = "Psykiatrisk avdelning 3") -> Unit:
    programme = factories.patient_committee_programme()
    found = Unit.objects.filter(programme=programme, name=name).first()
    return found or factories.UnitFactory(programme=programme, name=name)
