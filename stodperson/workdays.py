"""Working days on the Swedish calendar.

A request to the patient committee is answered within a number of working days
(rule 5 in the domain notes). A day does not count if it is a Saturday or a
Sunday, a public holiday under lag (1989:253) om allmänna helgdagar, or one of
the eves that lag (1930:173) om beräkning av lagstadgad tid treats like a
Sunday: midsommarafton, julafton and nyårsafton.

The day a request arrives is day 0; a request that arrives on a non-working day
counts from the next working day. Time in a pause (the patient could not take a
position) does not count.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import TypeAlias

import holidays

# A pause begins on its first date; the clock resumes on its second date, which
# counts again. None means the pause is still open.
Pause: TypeAlias = tuple[date, date | None]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@functools.lru_cache(maxsize=256)
def _holidays(year: int) -> Mapping[date, str]:
    # "public" is lag 1989:253 (including the Sundays it names: påskdagen,
    # pingstdagen); "de_facto" adds the eves of lag 1930:173. The language is
    # explicit because the package otherwise follows LANG (English on servers).
    # A plain read-only mapping: the package's own object grows new years on
    # lookup, and this cache must not be mutated by callers.
    calendar = holidays.country_holidays(
        "SE", years=year, language="sv", categories=("public", "de_facto")
    )
    return MappingProxyType(dict(calendar.items()))


@functools.lru_cache(maxsize=256)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    # Only holidays on Monday-Friday change a count; weekends are out anyway.
    return tuple(sorted(day for day in _holidays(year) if day.weekday() < _SATURDAY))


def holiday_name(day: date) -> str | None:
    """The Swedish name of the holiday or eve on `day`, or None (also for a plain weekend)."""
    return _holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """False on Saturdays, Sundays, public holidays and the three eves."""
    return day.weekday() < _SATURDAY and day not in _holidays(day.year)


def first_working_day_on_or_after(day: date) -> date:
    """`day` itself if it is a working day, otherwise the next working day."""
    while not is_working_day(day):
        day += _ONE_DAY
    return day


def _count(first: date, stop: date) -> int:
    """Working days in the half-open range [first, stop)."""
    if stop <= first:
        return 0
    weeks, rest = divmod((stop - first).days, 7)
    weekday = first.weekday()
    weekdays = weeks * 5 + sum(1 for i in range(rest) if (weekday + i) % 7 < _SATURDAY)
    off = 0
    last = stop - _ONE_DAY
    for year in range(first.year, last.year + 1):
        days = _weekday_holidays(year)
        off += bisect.bisect_left(days, stop) - bisect.bisect_left(days, first)
    return weekdays - off


def _nth_working_day(first: date, n: int) -> date:
    """The n-th working day (n >= 1) on or after `first`."""
    # Whole weeks first, so a long span costs one bisect per week, not per day.
    # A week holds at most 5, so n stays positive.
    while n > 10:
        n -= _count(first, first + timedelta(days=7))
        first += timedelta(days=7)
    day = first_working_day_on_or_after(first)
    for _ in range(n - 1):
        day = first_working_day_on_or_after(day + _ONE_DAY)
    return day


def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start`, where `start` (rolled forward to a
    working day) is day 0."""
    if n < 0:
        raise ValueError(f"n must be zero or more, not {n}")
    day0 = first_working_day_on_or_after(start)
    if n == 0:
        return day0
    return _nth_working_day(day0 + _ONE_DAY, n)


def _merged(pauses: Iterable[Pause]) -> list[Pause]:
    """Pauses sorted by start, overlapping ones joined, empty ones dropped."""
    ordered: list[Pause] = []
    for begin, resume in pauses:
        if resume is not None and resume < begin:
            raise ValueError(f"A pause cannot resume ({resume}) before it begins ({begin})")
        if resume != begin:
            ordered.append((begin, resume))
    ordered.sort(key=lambda pause: pause[0])
    merged: list[Pause] = []
    for begin, resume in ordered:
        if merged:
            last_begin, last_resume = merged[-1]
            if last_resume is None:
                break
            if begin <= last_resume:
                merged[-1] = (last_begin, None if resume is None else max(last_resume, resume))
                continue
        merged.append((begin, resume))
    return merged


def working_days_elapsed(start: date, end: date, pauses: Iterable[Pause] = ()) -> int:
    """Working days after day 0 up to and including `end`, not counting paused days.

    Day 0 is `start` rolled forward to a working day, so `end` on day 0 gives 0.
    """
    day0 = first_working_day_on_or_after(start)
    first, stop = day0 + _ONE_DAY, end + _ONE_DAY
    if stop <= first:
        return 0
    elapsed = _count(first, stop)
    for begin, resume in _merged(pauses):
        paused_stop = stop if resume is None else min(resume, stop)
        elapsed -= _count(max(begin, first), paused_stop)
    return elapsed


def deadline(start: date, target: int, pauses: Iterable[Pause] = ()) -> date | None:
    """The first date on which `working_days_elapsed` reaches `target`.

    None while an open pause (no resume date) began before that date was reached:
    the deadline is unknown until the clock runs again.
    """
    if target < 0:
        raise ValueError(f"target must be zero or more, not {target}")
    day0 = first_working_day_on_or_after(start)
    if target == 0:
        return day0
    remaining = target
    cursor = day0 + _ONE_DAY
    for begin, resume in _merged(pauses):
        if resume is not None and resume <= cursor:
            continue
        before_pause = _count(cursor, begin)
        if before_pause >= remaining:
            return _nth_working_day(cursor, remaining)
        remaining -= before_pause
        if resume is None:
            return None
        cursor = max(cursor, resume)
    return _nth_working_day(cursor, remaining)
