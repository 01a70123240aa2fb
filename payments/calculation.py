"""What a volunteer is owed for one assignment and month, from dated history (issue #17).

Pure functions of dates, rates and amounts: the payment run (payments/runs.py) reads the
register and calls these. The rules, in the region's terms (README.md, "Ersättning"):

- Arvode (the fee): for every day the assignment is active in the month, the weekly rate
  valid on that day ÷ 7, summed per assignment and rounded to whole öre at the end of the line.
- Omkostnadsersättning (the expense allowance): one per ISO week in which the assignment was
  active on at least one day; the week belongs to the month that holds its Thursday (as ISO
  8601 gives a week to a year), and the rate is the one valid on that Thursday.
- Reseersättning (travel): each contact's kilometres × the rate valid on the contact's date.
- Förlorad arbetsinkomst (lost earnings): the approved claims of each day, up to the cap
  valid on that day.

Money is `Decimal` throughout, kronor with öre; a line is rounded half up to whole öre once,
at its end, never part by part. A line is split where the wage type (löneart) changes, so
that payroll gets one row per wage type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stodperson.dates import last_day_of_month
from stodperson.errors import ServiceError

from .models import Rate

ORE = Decimal("0.01")
DAYS_PER_WEEK = Decimal(7)
THURSDAY = 3  # date.weekday()


def round_ore(amount: Decimal) -> Decimal:
    """To whole öre, half up (0.005 kr becomes 0.01 kr), as payroll pays."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


class MissingRate(ServiceError):
    def __init__(self, kind: str, day: date) -> None:
        super().__init__(
            _("No rate for “%(kind)s” holds on %(day)s. Add one under the programme's rates.")
            % {"kind": Rate.Kind(kind).label, "day": date_format(day, "DATE_FORMAT")}
        )


class Rates:
    """The rates of one kind in one programme, to find the one that holds on a day."""

    def __init__(self, kind: str, rates: Iterable[Rate]) -> None:
        self.kind = kind
        self._rates = sorted((r for r in rates if r.kind == kind), key=lambda r: r.valid_from)

    def on(self, day: date) -> Rate:
        for rate in self._rates:
            if rate.holds_on(day):
                return rate
        raise MissingRate(self.kind, day)


@dataclass(frozen=True)
class Part:
    """Units (days, weeks, km, kronor claimed) at one rate, and what they come to, unrounded."""

    rate: Rate
    units: Decimal
    amount: Decimal
    first: date
    last: date


@dataclass(frozen=True)
class Line:
    """One line of pay: a kind, its wage type, the rounded amount and the parts it is from."""

    kind: str
    wage_type: str
    taxable: bool
    amount: Decimal
    parts: tuple[Part, ...]

    @property
    def units(self) -> Decimal:
        return sum((part.units for part in self.parts), Decimal(0))


def _lines(kind: str, parts: Sequence[Part]) -> list[Line]:
    """Parts in order, one line per run of the same wage type, each rounded at its end."""
    lines = []
    for (wage_type, taxable), group in groupby(
        parts, key=lambda part: (part.rate.wage_type, part.rate.taxable)
    ):
        grouped = tuple(group)
        total = round_ore(sum((part.amount for part in grouped), Decimal(0)))
        lines.append(Line(kind, wage_type, taxable, total, grouped))
    return lines


def _merge(parts: Iterable[Part]) -> list[Part]:
    """Adjacent parts at the same rate become one (31 days at 350 kr, not 31 parts)."""
    merged: list[Part] = []
    for part in parts:
        last = merged[-1] if merged else None
        if last is not None and last.rate is part.rate:
            merged[-1] = Part(
                part.rate, last.units + part.units, last.amount + part.amount, last.first, part.last
            )
        else:
            merged.append(part)
    return merged


def active_days(started_on: date, ended_on: date | None, first: date, last: date) -> list[date]:
    """The days from `first` to `last` on which an assignment was active. As everywhere in
    the register, `ended_on` (the release) is the first day it no longer holds."""
    start = max(started_on, first)
    stop = last if ended_on is None else min(last, ended_on - timedelta(days=1))
    return [start + timedelta(days=n) for n in range((stop - start).days + 1)]


def fee(*, started_on: date, ended_on: date | None, month: date, rates: Rates) -> list[Line]:
    """Arvode: the weekly rate of each active day ÷ 7, over the days of the month."""
    days = active_days(started_on, ended_on, month.replace(day=1), last_day_of_month(month))
    parts = []
    for day in days:
        rate = rates.on(day)
        parts.append(Part(rate, Decimal(1), rate.amount / DAYS_PER_WEEK, day, day))
    return _lines(Rate.Kind.FEE, _merge(parts))


def weeks_of_month(month: date) -> list[date]:
    """The Mondays of the ISO weeks whose Thursday falls in the month."""
    first = month.replace(day=1)
    thursday = first + timedelta(days=(THURSDAY - first.weekday()) % 7)
    mondays = []
    while thursday.month == first.month:
        mondays.append(thursday - timedelta(days=THURSDAY))
        thursday += timedelta(days=7)
    return mondays


def allowance(*, started_on: date, ended_on: date | None, month: date, rates: Rates) -> list[Line]:
    """Omkostnadsersättning: one per started week of the month (weeks by their Thursday)."""
    parts = []
    for monday in weeks_of_month(month):
        sunday = monday + timedelta(days=6)
        if active_days(started_on, ended_on, monday, sunday):
            thursday = monday + timedelta(days=THURSDAY)
            rate = rates.on(thursday)
            parts.append(Part(rate, Decimal(1), rate.amount, monday, sunday))
    return _lines(Rate.Kind.ALLOWANCE, _merge(parts))


def travel(*, trips: Iterable[tuple[date, Decimal]], rates: Rates) -> list[Line]:
    """Reseersättning: kilometres × the rate on each trip's day."""
    parts = []
    for day, km in sorted(trips):
        if km:
            rate = rates.on(day)
            parts.append(Part(rate, km, km * rate.amount, day, day))
    return _lines(Rate.Kind.TRAVEL, _merge(parts))


def lost_earnings(*, claims: Iterable[tuple[date, Decimal]], caps: Rates) -> list[Line]:
    """Förlorad arbetsinkomst: the claims of each day summed, up to that day's cap."""
    per_day: dict[date, Decimal] = {}
    for day, amount in claims:
        per_day[day] = per_day.get(day, Decimal(0)) + amount
    parts = []
    for day in sorted(per_day):
        cap = caps.on(day)
        parts.append(Part(cap, per_day[day], min(per_day[day], cap.amount), day, day))
    return _lines(Rate.Kind.LOST_EARNINGS_CAP, parts)
