"""The patient committee's volunteers as users (issue 16) in the demo: the programme's
confidentiality undertaking, accepted by every active volunteer, and each one's background
check. stod.erik's check runs out within 60 days, so his home page shows the warning (and
the office's flags page the flag, once the checks have run)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clients.models import Programme
from stodperson.dates import add_months
from supportpersons.models import (
    RecruitmentStep,
    SupportPerson,
    UndertakingAcceptance,
    UndertakingVersion,
)

UNDERTAKING = """Som stödperson för patienter inom den psykiatriska tvångsvården har jag \
tystnadsplikt enligt 15 § lagen (1998:1656) om patientnämndsverksamhet.

Jag lovar att inte obehörigen röja något av det jag får veta om patientens hälsotillstånd \
eller personliga förhållanden, och att inte föra uppgifter om patienten vidare till någon \
annan än patientnämndens kansli.

Tystnadsplikten gäller även sedan uppdraget har upphört.

Jag skriver aldrig hälsouppgifter i registrets kontaktrapporter."""

ERIK_DAYS_LEFT = 40


def create_volunteer_records(
    *, programme: Programme, today: date, rng: random.Random, erik_username: str = "stod.erik"
) -> None:
    """Bulk writes: one version of the undertaking, an acceptance and a background check
    for each active volunteer who has none."""
    version, _created = UndertakingVersion.objects.get_or_create(
        programme=programme,
        number=1,
        defaults={"text": UNDERTAKING, "valid_from": add_months(today, -24)},
    )
    people = list(
        SupportPerson.objects.filter(programme=programme, status=SupportPerson.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    accepted = set(version.acceptances.values_list("support_person_id", flat=True))
    checked = set(
        RecruitmentStep.objects.filter(
            support_person__in=people, step=RecruitmentStep.Step.BACKGROUND_CHECK
        ).values_list("support_person_id", flat=True)
    )
    months = programme.background_check_valid_months
    acceptances, steps = [], []
    for person in people:
        is_erik = person.user is not None and person.user.username == erik_username
        if person.pk not in accepted:
            day = today - timedelta(days=rng.randint(20, 500))
            acceptances.append(
                UndertakingAcceptance(
                    support_person=person,
                    version=version,
                    accepted_at=timezone.make_aware(datetime.combine(day, time(19, 30))),
                    user=person.user,
                )
            )
        if person.pk not in checked:
            on = (
                add_months(today + timedelta(days=ERIK_DAYS_LEFT), -months)
                if is_erik
                else today - timedelta(days=rng.randint(10, max(11, months * 30 - 80)))
            )
            steps.append(
                RecruitmentStep(
                    support_person=person,
                    step=RecruitmentStep.Step.BACKGROUND_CHECK,
                    on=on,
                    outcome=RecruitmentStep.Outcome.PASSED,
                )
            )
    UndertakingAcceptance.objects.bulk_create(acceptances)
    RecruitmentStep.objects.bulk_create(steps)
