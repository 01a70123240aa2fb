"""Calendar arithmetic the apps share. Working days are in assignments.workdays."""

import calendar
from datetime import date


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
