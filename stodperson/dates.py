"""Calendar arithmetic the apps share, and the one rule for a dated record being active.
Working days are in stodperson.workdays, tertials in stodperson.tertials."""

import calendar
from datetime import date

from django.db.models import Q


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the 31st or a leap day falls back to the
    last day of a shorter month (2024-02-29 + 12 months is 2025-02-28)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s month to `last`'s month."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def active_during(
    first: date, last: date, *, prefix: str = "", start: str = "started_on", end: str = "ended_on"
) -> Q:
    """A record with a start and an end date (a client, an assignment, a person of the
    pool) that was active on some day from `first` to `last`: begun by `last` and not ended
    by `first`. The end date is the first day it no longer holds, as everywhere in the
    register. `prefix` is the path to the record (e.g. "assignments__")."""
    return Q(**{f"{prefix}{start}__lte": last}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": first})
    )


def active_on(
    day: date, *, prefix: str = "", start: str = "started_on", end: str = "ended_on"
) -> Q:
    return active_during(day, day, prefix=prefix, start=start, end=end)
