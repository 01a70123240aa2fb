"""Read paths, one per screen of the pool: each owns its select_related/prefetch_related and
runs a fixed number of queries whatever the number of rows.

The pool balance and the person page read requests and assignments: the assignments app is
imported inside the functions, since it depends on this app and not the other way round."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from clients.models import Client, Gender, Language, Locality, Programme

from .models import Registration, SupportPerson, TrainingEvent


def for_list(people: QuerySet[SupportPerson]) -> QuerySet[SupportPerson]:
    from assignments.models import Assignment

    # The load as a subquery, not a join and GROUP BY over the whole pool: the database
    # takes one page in name order from the index and counts the load of those rows only,
    # and the page count needs no join at all (issue #8).
    load = (
        Assignment.objects.filter(support_person=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("support_person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        people.select_related("locality", "programme")
        .prefetch_related(Prefetch("languages", queryset=Language.objects.only("id", "name")))
        .annotate(load=Coalesce(Subquery(load, output_field=IntegerField()), 0))
        .order_by("search_name", "id")
    )


# --- The person page ---------------------------------------------------------------------


@dataclass
class AssignmentLine:
    assignment: Any
    client_name: str
    client_id: int | None  # None when the user may not open the client


def person_page(person: SupportPerson, user: Any) -> dict[str, Any]:
    from assignments.models import Assignment

    assignments = list(
        Assignment.objects.filter(support_person=person)
        .select_related("client", "decided_by")
        .order_by("-started_on", "-id")
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
            person.registrations.select_related("event__locality").order_by("-event__on")
        ),
    }


# --- The pool balance ----------------------------------------------------------------------


@dataclass
class BalanceLine:
    label: str
    active: int = 0
    free: int = 0  # active persons with at least one free place
    wished: int = 0  # clients waiting who wish this

    @property
    def shortage(self) -> bool:
        return self.wished > self.free


@dataclass
class LocalityBalance:
    locality: Locality
    active: int = 0
    free_places: int = 0
    waiting: int = 0
    genders: list[BalanceLine] = field(default_factory=list)
    languages: list[BalanceLine] = field(default_factory=list)

    @property
    def shortage(self) -> bool:
        return self.waiting > self.free_places or any(
            line.shortage for line in [*self.genders, *self.languages]
        )


def pool_balance(programme: Programme | None) -> list[LocalityBalance]:
    """Per locality: the active persons by gender and language, against the wishes of the
    clients waiting (an open request, or an active client without a support person; a
    request's wishes come before the client's). Six queries."""
    from assignments.models import Assignment, SupportRequest

    people = SupportPerson.objects.filter(status=SupportPerson.Status.ACTIVE)
    requests = SupportRequest.objects.open()
    clients = Client.objects.active().exclude(
        pk__in=Assignment.objects.active().values("client_id")
    )
    if programme is not None:
        people = people.filter(programme=programme)
        requests = requests.filter(client__unit__programme=programme)
        clients = clients.filter(unit__programme=programme)
    persons = list(
        people.annotate(
            load=Count("assignments", filter=Q(assignments__ended_on__isnull=True))
        ).values_list("pk", "locality_id", "gender", "capacity", "load")
    )
    spoken = defaultdict(set)
    for person_id, language_id in SupportPerson.languages.through.objects.filter(
        supportperson_id__in=[p[0] for p in persons]
    ).values_list("supportperson_id", "language_id"):
        spoken[person_id].add(language_id)
    waiting: dict[int, tuple[int, str, int | None]] = {}
    for client_id, locality_id, gender, language_id in clients.values_list(
        "pk", "unit__locality_id", "wished_gender", "wished_language_id"
    ):
        waiting[client_id] = (locality_id, gender, language_id)
    for client_id, locality_id, gender, language_id, c_gender, c_language in requests.order_by(
        "received_at"
    ).values_list(
        "client_id",
        "client__unit__locality_id",
        "wished_gender",
        "wished_language_id",
        "client__wished_gender",
        "client__wished_language_id",
    ):
        waiting[client_id] = (locality_id, gender or c_gender, language_id or c_language)

    localities = {loc.pk: loc for loc in Locality.objects.all()}
    languages = {lang.pk: lang.name for lang in Language.objects.all()}
    result: dict[int, LocalityBalance] = {}

    def balance(locality_id: int) -> LocalityBalance:
        if locality_id not in result:
            result[locality_id] = LocalityBalance(
                locality=localities[locality_id],
                genders=[BalanceLine(str(label)) for _value, label in Gender.choices],
            )
        return result[locality_id]

    gender_index = {value: i for i, (value, _label) in enumerate(Gender.choices)}
    language_lines: dict[tuple[int, int], BalanceLine] = {}

    def language_line(locality_id: int, language_id: int) -> BalanceLine:
        key = (locality_id, language_id)
        if key not in language_lines:
            language_lines[key] = BalanceLine(languages[language_id])
            balance(locality_id).languages.append(language_lines[key])
        return language_lines[key]

    for pk, locality_id, gender, capacity, load in persons:
        row = balance(locality_id)
        has_room = load < capacity
        row.active += 1
        row.free_places += max(capacity - load, 0)
        line = row.genders[gender_index[gender]]
        line.active += 1
        line.free += has_room
        for language_id in spoken[pk]:
            lang = language_line(locality_id, language_id)
            lang.active += 1
            lang.free += has_room
    wished = Counter(waiting.values())
    for (place, wished_gender, wished_language), count in wished.items():
        row = balance(place)
        row.waiting += count
        if wished_gender:
            row.genders[gender_index[wished_gender]].wished += count
        if wished_language:
            language_line(place, wished_language).wished += count
    for row in result.values():
        row.languages.sort(key=lambda line: (not line.shortage, line.label))
    return sorted(result.values(), key=lambda row: row.locality.name)


# --- Training events ---------------------------------------------------------------------


def events_for_list(events: QuerySet[TrainingEvent]) -> QuerySet[TrainingEvent]:
    return events.select_related("locality", "programme").annotate(
        registered=Count("registrations"),
        attended=Count("registrations", filter=Q(registrations__attended=True)),
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
        Registration.objects.filter(event__in=[e.pk for e in events], attended=True).values_list(
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
