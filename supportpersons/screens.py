"""Read paths, one per screen of the pool: each owns its select_related/prefetch_related and
runs a fixed number of queries whatever the number of rows. The person page reads the
person's assignments through the relation the assignments app declares (the pool stands
below assignments and never imports it); the pool balance against the clients waiting is
in assignments/pool.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from clients.models import Client, Language

from .models import Registration, SupportPerson, TrainingEvent


def for_list(people: QuerySet[SupportPerson]) -> QuerySet[SupportPerson]:
    # The page count needs no join at all; the load is counted for one page (with_load).
    return (
        people.select_related("locality", "programme")
        .prefetch_related(Prefetch("languages", queryset=Language.objects.only("id", "name")))
        .with_load()  # type: ignore[attr-defined]
        .order_by("search_name", "id")
    )


# --- The person page ---------------------------------------------------------------------


@dataclass
class AssignmentLine:
    assignment: Any
    client_name: str
    client_id: int | None  # None when the user may not open the client


def person_page(person: SupportPerson, user: Any) -> dict[str, Any]:
    assignments = list(
        person.assignments.select_related("client", "decided_by").order_by("-started_on", "-id")  # type: ignore[attr-defined]
    )
    visible = set(
        Client.objects.visible_to(user)
        .filter(pk__in=[a.client_id for a in assignments])
        .values_list("pk", flat=True)
    )
    lines = [
        AssignmentLine(
            assignment=a,
            client_name=a.client.display_name if a.client_id in visible else "",
            client_id=a.client_id if a.client_id in visible else None,
        )
        for a in assignments
    ]
    return {
        "status_changes": list(person.status_changes.select_related("by").order_by("on", "id")),
        "steps": list(person.recruitment_steps.select_related("by").order_by("on", "id")),
        "current": [line for line in lines if line.assignment.ended_on is None],
        "earlier": [line for line in lines if line.assignment.ended_on is not None],
        "registrations": list(
            person.registrations.current().select_related("event__locality").order_by("-event__on")
        ),
    }


# --- Training events ---------------------------------------------------------------------


def events_for_list(events: QuerySet[TrainingEvent]) -> QuerySet[TrainingEvent]:
    return events.select_related("locality", "programme").annotate(
        registered=Count("registrations", filter=Q(registrations__removed_at=None)),
        attended=Count(
            "registrations",
            filter=Q(registrations__attended=True, registrations__removed_at=None),
        ),
    )


@dataclass
class EventAttendance:
    event: TrainingEvent
    registered: int
    attended: int
    active: int  # active in the event's locality and programme on its day

    @property
    def rate(self) -> int | None:
        return round(100 * self.attended / self.active) if self.active else None


@dataclass
class LocalityAttendance:
    locality: str
    attendees: int  # distinct persons who attended at least one event in the period
    active: int  # active at the end of the period

    @property
    def rate(self) -> int | None:
        return round(100 * self.attendees / self.active) if self.active else None


def attendance_in_period(
    start: date, end: date
) -> tuple[list[EventAttendance], list[LocalityAttendance]]:
    """Events held in the period, each against the persons active on its day ("of 35 active
    in Umeå, 13 attended"), and per locality the share of the persons active at the end of
    the period who attended at least one. Three queries: events, attendees, the pool."""
    events = list(
        events_for_list(
            TrainingEvent.objects.filter(on__range=(start, end), status=TrainingEvent.Status.HELD)
        ).order_by("on", "id")
    )
    came = list(
        Registration.objects.current()
        .filter(event__in=[e.pk for e in events], attended=True)
        .values_list(
            "support_person_id",
            "event__locality_id",
            "event__locality__name",
            "event__programme_id",
        )
    )
    pool = list(
        SupportPerson.objects.filter(
            programme_id__in={e.programme_id for e in events}, recruited_on__lte=end
        )
        .filter(Q(deactivated_on__isnull=True) | Q(deactivated_on__gt=start))
        .values_list("pk", "programme_id", "locality_id", "recruited_on", "deactivated_on")
    )

    def active_on(day: date, programme_id: int, locality_id: int) -> set[int]:
        return {
            pk
            for pk, prog, loc, recruited, deactivated in pool
            if prog == programme_id
            and loc == locality_id
            and recruited is not None
            and recruited <= day
            and (deactivated is None or deactivated > day)
        }

    per_event = [
        EventAttendance(
            event=e,
            registered=e.registered,  # type: ignore[attr-defined]
            attended=e.attended,  # type: ignore[attr-defined]
            active=len(active_on(e.on, e.programme_id, e.locality_id)),
        )
        for e in events
    ]
    attendees: dict[tuple[str, int, int], set[int]] = defaultdict(set)
    for person_id, locality_id, locality_name, programme_id in came:
        attendees[(locality_name, locality_id, programme_id)].add(person_id)
    per_locality = []
    for (name, locality_id, programme_id), persons in sorted(attendees.items()):
        active = active_on(end, programme_id, locality_id)
        per_locality.append(
            LocalityAttendance(locality=name, attendees=len(persons & active), active=len(active))
        )
    return per_event, per_locality
