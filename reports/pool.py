"""Support persons for the tertial report: the pool by the dated history (the definitions are
in figures.py's docstring and domain.md, "The tertial report")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from clients.models import Gender
from supportpersons.models import SupportPerson

from .figure_types import Flow, GenderCounts, LocalityFlows, Span, SupportPersonFigures

IN_POOL = frozenset({SupportPerson.Status.ACTIVE, SupportPerson.Status.PAUSED})
GENDERS = [g.value for g in Gender]
_ONE_DAY = timedelta(days=1)
_SWEDISH_ORDER = str.maketrans("åäö", "{|}")


def gender_headers() -> dict[str, str]:
    """Each gender's column title."""
    return {"woman": _("Women"), "man": _("Men"), "other": _("Other or unknown")}


def swedish_sort_key(text: str) -> str:
    # å, ä, ö come after z in Swedish.
    return text.casefold().translate(_SWEDISH_ORDER)


@dataclass
class Person:
    id: int
    gender: str
    locality: str
    recruited_on: date | None
    deactivated_on: date | None
    changes: list[tuple[date, str]] = field(default_factory=list)  # sorted by (on, id)
    _timeline: list[tuple[date, bool]] | None = field(default=None, repr=False, compare=False)

    def by_dates(self, day: date) -> bool:
        return (
            self.recruited_on is not None
            and self.recruited_on <= day
            and (self.deactivated_on is None or self.deactivated_on > day)
        )

    def in_pool(self, day: date) -> bool:
        status = None
        for on, changed_to in self.changes:
            if on > day:
                break
            status = changed_to
        if status is None:
            return self.by_dates(day)
        return status in IN_POOL

    def timeline(self) -> list[tuple[date, bool]]:
        """The days on which the person's state changed, with the new state (worked out once:
        every period of a report, and every report of a year, asks again)."""
        if self._timeline is None:
            self._timeline = self._changes_of_state()
        return self._timeline

    def _changes_of_state(self) -> list[tuple[date, bool]]:
        days = {on for on, _ in self.changes}
        days.update(d for d in (self.recruited_on, self.deactivated_on) if d is not None)
        result: list[tuple[date, bool]] = []
        state = False
        for day in sorted(days):
            now = self.in_pool(day)
            if now != state:
                result.append((day, now))
                state = now
        return result


def _by_locality_and_gender(people: list[Person], localities: list[str]) -> dict[str, GenderCounts]:
    counts: dict[str, GenderCounts] = {name: dict.fromkeys(GENDERS, 0) for name in localities}
    for person in people:
        counts[person.locality][person.gender] += 1
    return counts


def support_persons(people: list[Person], span: Span) -> SupportPersonFigures:
    before = span.first - _ONE_DAY
    opening = [p for p in people if p.in_pool(before)]
    closing = [p for p in people if p.in_pool(span.last)]
    recruited: list[Person] = []
    reactivated: list[Person] = []
    deactivated: list[Person] = []
    for person in people:
        timeline = person.timeline()
        first_entry = next((day for day, state in timeline if state), None)
        for day, state in timeline:
            if not span.contains(day):
                continue
            if not state:
                deactivated.append(person)
            elif day == first_entry:
                recruited.append(person)
            else:
                reactivated.append(person)
    localities = sorted({p.locality for p in people}, key=swedish_sort_key)
    flows: dict[Flow, dict[str, GenderCounts]] = {
        "active": _by_locality_and_gender(closing, localities),
        "recruited": _by_locality_and_gender(recruited, localities),
        "reactivated": _by_locality_and_gender(reactivated, localities),
        "deactivated": _by_locality_and_gender(deactivated, localities),
    }
    return {
        "opening": len(opening),
        "recruited": len(recruited),
        "reactivated": len(reactivated),
        "deactivated": len(deactivated),
        "closing": len(closing),
        "difference": len(opening)
        + len(recruited)
        + len(reactivated)
        - len(deactivated)
        - len(closing),
        "register_closing": sum(p.by_dates(span.last) for p in people),
        "by_locality": [
            _locality_flows(name, flows)
            for name in localities
            if any(sum(counts[name].values()) for counts in flows.values())
        ],
    }


def _locality_flows(name: str, flows: dict[Flow, dict[str, GenderCounts]]) -> LocalityFlows:
    return {
        "locality": name,
        "active": flows["active"][name],
        "recruited": flows["recruited"][name],
        "reactivated": flows["reactivated"][name],
        "deactivated": flows["deactivated"][name],
    }
