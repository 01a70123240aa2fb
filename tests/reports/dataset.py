"""A built dataset with known answers for T3 2022 (1 September - 31 December 2022).

Patient committee, Umeå and Skellefteå:

Support persons (opening 4 + recruited 1 + reactivated 1 - deactivated 2 = closing 4)
- A  Umeå, woman, active since 2020.
- B  Umeå, man, deactivated on 31 December: deactivated in the period, not active at its end.
- C  Skellefteå, woman, recruited 3 October.
- D  Umeå, woman, inactive since June, reactivated 1 November (StatusChange history only).
- E  Skellefteå, man, deactivated on 1 September (the first day).
- F  Umeå, woman, paused since 1 October: still in the pool.
- G  an applicant, never recruited.

Assignments (active at start 1 + appointed 5 - released 2 = active at end 4)
- X  begun 15 June (T2), released 10 October.
- Y  begun 1 September, released 31 December (not active at the end).
- R1-R4 from requests:
  R1 received Friday 23 December, appointed Wednesday 28 December: 2 working days
     (julafton, the weekend and annandag jul do not count): within the target, not within 1.
  R2 received and appointed Monday 3 October: 0 working days.
  R3 received Monday 7 November, paused 8-16 November (the patient could not take a
     position), appointed 21 November: 4 working days, late but excused.
  R4 received Tuesday 13 September, appointed Tuesday 20 September: 5 working days, missed.
- R5 withdrawn the day after it came (not a miss); R6 received 29 December, still open and
  within its target; R7 received 1 December, still open past its target.

Activities: an information evening in Umeå on 6 September (3 registered, 2 attended, 3
active in Umeå that day); an evening meeting in Skellefteå on 6 December cancelled for too
few registrations (1 registered). Collaboration: two forums in the period, one before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from assignments.models import Assignment, SupportRequest
from clients.models import Client, Gender, Locality, Programme, Unit
from supportpersons.models import StatusChange, SupportPerson, TrainingEvent
from tests import factories

T3_2022_END = date(2022, 12, 31)
AFTER_T3_2022 = date(2023, 1, 15)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@dataclass
class Dataset:
    programme: Programme
    umea: Locality
    skelleftea: Locality
    unit: Unit
    people: dict[str, SupportPerson]
    clients: list[Client]
    requests: dict[str, SupportRequest]


def _person(
    programme: Programme, locality: Locality, gender: str, **fields: object
) -> SupportPerson:
    return factories.SupportPersonFactory(
        programme=programme, locality=locality, gender=gender, **fields
    )


def _client(unit: Unit, **fields: object) -> Client:
    fields.setdefault("started_on", date(2022, 1, 1))
    return factories.ClientFactory(unit=unit, **fields)


def build_dataset() -> Dataset:
    programme = factories.patient_committee_programme()
    umea = factories.LocalityFactory(name="Umeå")
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    unit = factories.UnitFactory(programme=programme, locality=umea, name="Patientnämnden")
    woman, man = Gender.WOMAN, Gender.MAN

    people = {
        "A": _person(programme, umea, woman, recruited_on=date(2020, 1, 1)),
        "B": _person(
            programme,
            umea,
            man,
            recruited_on=date(2020, 1, 1),
            deactivated_on=T3_2022_END,
            status=SupportPerson.Status.INACTIVE,
        ),
        "C": _person(programme, skelleftea, woman, recruited_on=date(2022, 10, 3)),
        "D": _person(programme, umea, woman, recruited_on=date(2019, 5, 1)),
        "E": _person(
            programme,
            skelleftea,
            man,
            recruited_on=date(2021, 1, 1),
            deactivated_on=date(2022, 9, 1),
            status=SupportPerson.Status.INACTIVE,
        ),
        "F": _person(
            programme,
            umea,
            woman,
            recruited_on=date(2021, 1, 1),
            status=SupportPerson.Status.PAUSED,
        ),
        "G": _person(
            programme, umea, woman, recruited_on=None, status=SupportPerson.Status.APPLICANT
        ),
    }
    Status = SupportPerson.Status
    for key, steps in {
        "D": [
            (Status.ACTIVE, date(2019, 5, 1)),
            (Status.INACTIVE, date(2022, 6, 1)),
            (Status.ACTIVE, date(2022, 11, 1)),
        ],
        "F": [(Status.ACTIVE, date(2021, 1, 1)), (Status.PAUSED, date(2022, 10, 1))],
        "G": [(Status.APPLICANT, date(2022, 11, 20))],
    }.items():
        for status, on in steps:
            StatusChange.objects.create(support_person=people[key], status=status, on=on)

    a = people["A"]
    clients = []

    def assignment(
        started: date, ended: date | None = None, request: SupportRequest | None = None
    ) -> Assignment:
        client = request.client if request else _client(unit)
        clients.append(client)
        return factories.AssignmentFactory(
            client=client,
            support_person=a,
            started_on=started,
            ended_on=ended,
            end_reason=Assignment.EndReason.CARE_ENDED if ended else "",
            request=request,
        )

    assignment(date(2022, 6, 15), date(2022, 10, 10))  # X
    assignment(date(2022, 9, 1), T3_2022_END)  # Y

    def request(received: date, **fields: object) -> SupportRequest:
        return factories.RequestFactory(client=_client(unit), received_at=at(received), **fields)

    requests = {
        "R1": request(date(2022, 12, 23)),
        "R2": request(date(2022, 10, 3)),
        "R3": request(
            date(2022, 11, 7),
            late_reason="Patienten kunde inte ta ställning på grund av sitt hälsotillstånd.",
            delay_excused=True,
        ),
        "R4": request(date(2022, 9, 13), late_reason="Ingen stödperson med rätt språk var ledig."),
        "R5": request(date(2022, 10, 20), withdrawn_at=at(date(2022, 10, 21))),
        "R6": request(date(2022, 12, 29)),
        "R7": request(date(2022, 12, 1)),
    }
    factories.RequestPauseFactory(
        request=requests["R3"], started_on=date(2022, 11, 8), ended_on=date(2022, 11, 16)
    )
    assignment(date(2022, 12, 28), request=requests["R1"])
    assignment(date(2022, 10, 3), request=requests["R2"])
    assignment(date(2022, 11, 21), request=requests["R3"])
    assignment(date(2022, 9, 20), request=requests["R4"])

    held = factories.TrainingEventFactory(
        programme=programme,
        kind=TrainingEvent.Kind.INFORMATION_EVENING,
        title="Informationskväll: Vän i Umeå",
        locality=umea,
        on=date(2022, 9, 6),
        status=TrainingEvent.Status.HELD,
    )
    for key, attended in (("A", True), ("F", True), ("B", False)):
        factories.RegistrationFactory(event=held, support_person=people[key], attended=attended)
    cancelled = factories.TrainingEventFactory(
        programme=programme,
        kind=TrainingEvent.Kind.EVENING_MEETING,
        title="Kvällsmöte med Hjärnkoll",
        locality=skelleftea,
        on=date(2022, 12, 6),
        status=TrainingEvent.Status.CANCELLED,
        cancel_reason="För få anmälda",
    )
    factories.RegistrationFactory(event=cancelled, support_person=people["C"])
    factories.TrainingEventFactory(
        programme=programme,
        locality=umea,
        on=date(2022, 5, 10),
        status=TrainingEvent.Status.HELD,
    )
    for on, forum in (
        (date(2022, 10, 1), "Frivilligdagen"),
        (date(2022, 11, 14), "Myndighetssamverkan"),
        (date(2022, 6, 14), "Myndighetssamverkan"),
    ):
        factories.CollaborationActivityFactory(programme=programme, on=on, forum=forum)
    return Dataset(programme, umea, skelleftea, unit, people, clients, requests)
