"""Tertials: the four-month periods the patient committee reports on.

T1 is January-April, T2 May-August, T3 September-December (the seed report
"Rapport stödpersonsverksamheten T3 2022" covers September-December 2022).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS_PER_TERTIAL = 4
_SLUG = re.compile(r"(?P<year>\d{4})\s*-\s*T(?P<number>[1-3])", re.IGNORECASE | re.ASCII)
_LABEL = re.compile(r"T(?P<number>[1-3])\s+(?P<year>\d{4})", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True, order=True)
class Tertial:
    """One tertial of one year; ordered by year, then number."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3):
            raise ValueError(f"Ogiltigt tertialnummer: {self.number} (ska vara 1, 2 eller 3)")
        if not date.min.year <= self.year <= date.max.year:
            raise ValueError(f"Ogiltigt år för tertial: {self.year}")

    @classmethod
    def of(cls, day: date) -> Tertial:
        """The tertial that `day` falls in."""
        return cls(day.year, (day.month - 1) // _MONTHS_PER_TERTIAL + 1)

    @classmethod
    def parse(cls, text: str) -> Tertial:
        """Read "2022-T3" or "T3 2022" (case and surrounding spaces do not matter)."""
        cleaned = text.strip()
        match = _SLUG.fullmatch(cleaned) or _LABEL.fullmatch(cleaned)
        if match is None:
            raise ValueError(f"Ogiltig tertial: {text!r} (ange t.ex. 2022-T3 eller T3 2022)")
        return cls(int(match["year"]), int(match["number"]))

    @property
    def first_month(self) -> int:
        return (self.number - 1) * _MONTHS_PER_TERTIAL + 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def last_day(self) -> date:
        if self.number == 3:
            return date(self.year, 12, 31)
        return date(self.year, self.first_month + _MONTHS_PER_TERTIAL, 1) - timedelta(days=1)

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) for each month of the tertial, in order."""
        return [(self.year, self.first_month + i) for i in range(_MONTHS_PER_TERTIAL)]

    @property
    def label(self) -> str:
        return f"T{self.number} {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-T{self.number}"

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def previous(self) -> Tertial:
        if self.number == 1:
            return Tertial(self.year - 1, 3)
        return Tertial(self.year, self.number - 1)

    def next(self) -> Tertial:
        if self.number == 3:
            return Tertial(self.year + 1, 1)
        return Tertial(self.year, self.number + 1)

    def same_last_year(self) -> Tertial:
        """The same tertial a year earlier, for year-on-year comparison."""
        return Tertial(self.year - 1, self.number)

    def __str__(self) -> str:
        return self.label
