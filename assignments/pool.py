"""The pool's balance per locality: the active support persons by gender and language,
against the wishes of the clients waiting for one."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from clients.models import Client, Gender, Language, Locality, Programme
from supportpersons.models import SupportPerson

from .models import Assignment, SupportRequest


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
        people.with_load().values_list(  # type: ignore[misc]  # `load` is an annotation
            "pk", "locality_id", "gender", "capacity", "load"
        )
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
