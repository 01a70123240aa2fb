"""The read path of the volunteer's home page ("Mina uppdrag", issue 16): their own
assignments, the training events they may register for, the undertaking they accepted and
their background check. A fixed number of queries whatever the number of rows.

The patient's name and ward are shown only while the assignment is active; afterwards the
line keeps its dates alone. A protected identity is shown as its placeholder, its ward
left out, unless the volunteer is one of its named readers (Person.name_for)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from assignments.models import Assignment
from clients.models import Client
from supportpersons.models import (
    Registration,
    SupportPerson,
    TrainingEvent,
    UndertakingAcceptance,
)
from supportpersons.volunteers import (
    accepted_undertaking,
    background_check_runs_out,
    warning_threshold,
    with_background_check,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EARLIER_LIMIT = 20
EVENTS_LIMIT = 10


@dataclass(frozen=True)
class CurrentLine:
    assignment: Assignment
    client_name: str
    unit_name: str  # empty when the identity is hidden from the volunteer


@dataclass(frozen=True)
class EventLine:
    event: TrainingEvent
    registered: bool


@dataclass(frozen=True)
class BackgroundCheckState:
    runs_out: date | None
    threshold: int | None  # 60, 30, 7, 0 (ran out) or None (no warning)

    @property
    def missing(self) -> bool:
        return self.runs_out is None


@dataclass(frozen=True)
class VolunteerHome:
    current: list[CurrentLine]
    earlier: list[Assignment]
    events: list[EventLine]
    undertaking: UndertakingAcceptance | None
    check: BackgroundCheckState
    days_left: int | None  # until the check runs out, for the warning


def volunteer_home(person: SupportPerson, user: User, *, today: date) -> VolunteerHome:
    """Six queries (seven with a protected identity among the current assignments)."""
    assignments = list(
        Assignment.objects.filter(support_person=person)
        .select_related("client__unit")
        .order_by("-started_on", "-id")
    )
    current = [a for a in assignments if a.ended_on is None]
    earlier = [a for a in assignments if a.ended_on is not None][:EARLIER_LIMIT]
    names = Client.objects.names_for([a.client_id for a in current], user) if current else {}
    lines = [
        CurrentLine(
            assignment=a,
            client_name=names.get(a.client_id, Client.placeholder(a.client_id)),
            unit_name=""
            if a.client.is_protected and names.get(a.client_id) != a.client.full_name
            else a.client.unit.name,
        )
        for a in current
    ]
    events = list(
        TrainingEvent.objects.filter(
            programme_id=person.programme_id,
            locality_id=person.locality_id,
            status=TrainingEvent.Status.PLANNED,
            on__gte=today,
        )
        .prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.current().filter(support_person=person),
                to_attr="mine",
            )
        )
        .order_by("on", "id")[:EVENTS_LIMIT]
    )
    checked = with_background_check(
        SupportPerson.objects.select_related("programme").filter(pk=person.pk)
    ).get()
    runs_out = background_check_runs_out(checked)
    threshold = warning_threshold(runs_out, today=today) if runs_out else None
    return VolunteerHome(
        current=lines,
        earlier=earlier,
        events=[EventLine(event, bool(event.mine)) for event in events],  # type: ignore[attr-defined]
        undertaking=accepted_undertaking(person),
        check=BackgroundCheckState(runs_out, threshold),
        days_left=(runs_out - today).days if runs_out else None,
    )
