"""Coverage: the share of active clients with a support person, with a current
implementation plan, and with documentation in the month (routine A).

One loader reads it for any set of clients and any span of days, in four queries, so the
dashboard, its chart and the tertial report (`coverage_over_periods`) count the same way.

At the size of a region (20,000 clients, a million duty ticks) the rules are not applied
client by client and day by day: each client's state over all the days asked about is a
bit mask (bit k: the k-th day), made from the few rows that decide it (the client's dates,
its assignments, its plan ticks, and the months with documentation, which the database
folds into one mask per client), and the counts add the masks up."""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Aggregate,
    BigIntegerField,
    DateField,
    F,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Mod

from assignments.models import Assignment
from clients.models import Client, ClientQuerySet
from stodperson.dates import active_during, add_months, last_day_of_month, month_starts

from .models import DutyCheck, DutyTemplate

# Months per documentation mask: a BIGINT holds 63 bits; a longer span takes more masks.
_MONTHS_PER_MASK = 62


@dataclass(frozen=True)
class Coverage:
    day: date
    clients: int
    with_support_person: int
    with_current_plan: int
    with_documentation: int
    # Clients of programmes that keep plans and documentation (personal assistance).
    with_duties: int

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def support_person_share(self) -> float | None:
        return self._share(self.with_support_person, self.clients)

    @property
    def plan_share(self) -> float | None:
        return self._share(self.with_current_plan, self.with_duties)

    @property
    def documentation_share(self) -> float | None:
        return self._share(self.with_documentation, self.with_duties)


@dataclass(frozen=True)
class PeriodCoverage:
    """Coverage over a period (the tertial report): the clients active on its last day; of
    those, with a support person and a current plan on that day, and with documentation in
    every month of the period that was due for them (`documentation_clients`)."""

    first: date
    last: date
    clients: int
    with_support_person: int
    with_duties: int
    with_current_plan: int
    documentation_clients: int
    documented_every_month: int

    @property
    def support_person_share(self) -> float | None:
        return Coverage._share(self.with_support_person, self.clients)

    @property
    def plan_share(self) -> float | None:
        return Coverage._share(self.with_current_plan, self.with_duties)

    @property
    def documented_every_month_share(self) -> float | None:
        return Coverage._share(self.documented_every_month, self.documentation_clients)


@dataclass(frozen=True)
class _Client:
    """One client over the days asked about, each a bit mask (bit k: the k-th day)."""

    started_on: date
    active: int
    support_person: int
    documentation: DutyTemplate | None  # None: the programme keeps no plan or documentation
    current_plan: int
    documented: int  # documentation in the calendar month of the day


class _Days:
    """The days asked about, sorted, with the masks of ranges of them."""

    def __init__(self, days: list[date]) -> None:
        self.days = sorted(set(days))
        self.index = {day: k for k, day in enumerate(self.days)}
        self.all = (1 << len(self.days)) - 1

    def before(self, day: date) -> int:
        """The days before `day`."""
        return (1 << bisect_left(self.days, day)) - 1

    def through(self, day: date) -> int:
        """The days on or before `day`."""
        return (1 << bisect_right(self.days, day)) - 1

    def from_(self, day: date) -> int:
        """The days on or after `day`."""
        return self.all ^ self.before(day)

    def between(self, first: date, stop: date | None) -> int:
        """first <= day < stop (no stop: to the end)."""
        return self.from_(first) & (self.all if stop is None else self.before(stop))


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _load(clients: ClientQuerySet, span: _Days) -> list[_Client]:
    """Four queries, whatever the number of clients or days."""
    first, last = span.days[0], span.days[-1]
    client_rows = list(
        clients.filter(active_during(first, last))
        .values_list("id", "started_on", "ended_on", "unit__programme_id")
        .order_by()
    )
    ids = clients.values("id")
    support_person: dict[int, int] = defaultdict(int)
    between = functools.cache(span.between)
    for client_id, started, ended in (
        Assignment.objects.filter(active_during(first, last), client__in=ids)
        .values_list("client_id", "started_on", "ended_on")
        .order_by()
    ):
        support_person[client_id] |= between(started, ended)

    # The rules follow the programme's templates in use; the ticks count whichever
    # template with the code they were made on (ids, so the index on (template, done_on)
    # finds them among all the other duties' ticks).
    templates: dict[tuple[int, str], DutyTemplate] = {}
    ids_by_code: dict[str, list[int]] = defaultdict(list)
    for t in DutyTemplate.objects.filter(
        code__in=[DutyTemplate.Code.IMPLEMENTATION_PLAN, DutyTemplate.Code.DOCUMENTATION]
    ):
        ids_by_code[t.code].append(t.pk)
        if t.is_active:
            templates[(t.programme_id, t.code)] = t
    plan_interval = max(
        (
            t.interval_months or 0
            for (_, code), t in templates.items()
            if code == DutyTemplate.Code.IMPLEMENTATION_PLAN
        ),
        default=0,
    )
    plans, months = _ticks(
        ids,
        plan_ids=ids_by_code[DutyTemplate.Code.IMPLEMENTATION_PLAN],
        documentation_ids=ids_by_code[DutyTemplate.Code.DOCUMENTATION],
        plans_from=add_months(first.replace(day=1), -max(plan_interval, 1)),
        first=first,
        last=last,
    )

    # Documentation counts for a day when its calendar month has a tick.
    base = _month_number(first)
    day_months = [divmod(_month_number(day) - base, _MONTHS_PER_MASK) for day in span.days]

    @functools.cache
    def documented(by_number: tuple[tuple[int, int], ...]) -> int:
        masks = dict(by_number)
        return sum(
            1 << k for k, (number, bit) in enumerate(day_months) if masks.get(number, 0) >> bit & 1
        )

    plan_templates = {t.pk: t for t in templates.values()}

    @functools.cache
    def plan_current(plan_id: int, tick: date) -> int:
        """The days on which a plan ticked on `tick` is still current."""
        due = plan_templates[plan_id].next_due(last_done=tick, client_since=tick)
        assert due is not None
        return span.from_(tick) & span.through(due)

    result = []
    for client_id, started, ended, programme_id in client_rows:
        active = between(started, ended)
        plan = templates.get((programme_id, DutyTemplate.Code.IMPLEMENTATION_PLAN))
        documentation = templates.get((programme_id, DutyTemplate.Code.DOCUMENTATION))
        if plan is None or documentation is None:
            result.append(_Client(started, active, support_person.get(client_id, 0), None, 0, 0))
            continue
        current_plan = 0
        if plan.interval_months is not None:
            # Current on a day when the last tick on or before it is not yet due again;
            # since the due date grows with the tick: when any tick on or before it is not.
            ticks = plans.get(client_id, [])
            for tick in ticks:
                current_plan |= plan_current(plan.pk, tick)
            # Before the first tick: the grace period of a new client.
            never = span.before(min(ticks)) if ticks else span.all
            grace = plan.next_due(last_done=None, client_since=started)
            assert grace is not None
            current_plan |= never & span.through(grace)
        result.append(
            _Client(
                started,
                active,
                support_person.get(client_id, 0),
                documentation,
                current_plan,
                documented(tuple(sorted(months[client_id].items()))) if client_id in months else 0,
            )
        )
    return result


class _BitOr(Aggregate):
    """The bitwise OR of the values: BIT_OR on PostgreSQL (hashed, no sort); elsewhere
    the sum of the distinct values, which is the same number for values of one bit."""

    function = "SUM"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = BigIntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, function="BIT_OR", template="%(function)s(%(expressions)s)"
        )


def _ticks(
    ids: QuerySet[Client, Any],
    *,
    plan_ids: list[int],
    documentation_ids: list[int],
    plans_from: date,
    first: date,
    last: date,
) -> tuple[dict[int, list[date]], dict[int, dict[int, int]]]:
    """One query: each client's plan ticks (about one a year), and their months with
    documentation as masks the database folds (bit m of mask n: the (62n + m)-th month from
    `first`'s month), so that a month of ticks is one row per client, not one per tick."""
    current = DutyCheck.objects.current().filter(assignment__client__in=ids, done_on__lte=last)
    plan_ticks = (
        current.filter(template_id__in=plan_ids, done_on__gte=plans_from)
        .annotate(
            plan_day=F("done_on"),
            mask_number=Value(0, IntegerField()),
            months=Value(0, BigIntegerField()),
        )
        .values_list("assignment__client_id", "plan_day", "mask_number", "months")
        .order_by()
    )
    # Integer arithmetic (EXTRACT gives numeric on PostgreSQL, which is slow to reckon).
    month = (
        Cast(ExtractYear("done_on"), IntegerField()) * 12
        + Cast(ExtractMonth("done_on"), IntegerField())
        - (_month_number(first) + 1)
    )
    position: Any
    mask_number: Any
    if _month_number(last) - _month_number(first) < _MONTHS_PER_MASK:
        position, mask_number = month, Value(0, IntegerField())
    else:
        position = Mod(month, _MONTHS_PER_MASK)
        mask_number = (month - position) / _MONTHS_PER_MASK
    documented_months = (
        current.filter(template_id__in=documentation_ids, done_on__gte=first.replace(day=1))
        .annotate(plan_day=Value(None, DateField()), mask_number=mask_number)
        .values_list("assignment__client_id", "plan_day", "mask_number")
        .annotate(months=_BitOr(Cast(Value(1), BigIntegerField()).bitleftshift(position)))
        .order_by()
    )
    plans: dict[int, list[date]] = defaultdict(list)
    months: dict[int, dict[int, int]] = defaultdict(dict)
    for client_id, plan_day, mask_number, mask in plan_ticks.union(documented_months, all=True):
        if plan_day is not None:
            plans[client_id].append(plan_day)
        elif mask:
            months[client_id][mask_number] = int(mask)
    return plans, months


def _bit_counts(masks: Counter[int], days: int) -> list[int]:
    """For each day, how many of the masks have its bit (the masks counted with weights)."""
    counts = [0] * days
    for mask, weight in masks.items():
        while mask:
            low = mask & -mask
            counts[low.bit_length() - 1] += weight
            mask ^= low
    return counts


def coverage_on_days(clients: ClientQuerySet, days: list[date]) -> list[Coverage]:
    """Coverage on each day; documentation counts the calendar month up to that day."""
    if not days:
        return []
    span = _Days(days)
    rows = _load(clients, span)
    active: Counter[int] = Counter()
    with_person: Counter[int] = Counter()
    with_duties: Counter[int] = Counter()
    with_plan: Counter[int] = Counter()
    with_documentation: Counter[int] = Counter()
    for row in rows:
        active[row.active] += 1
        with_person[row.active & row.support_person] += 1
        if row.documentation is not None:
            with_duties[row.active] += 1
            with_plan[row.active & row.current_plan] += 1
            with_documentation[row.active & row.documented] += 1
    n = len(span.days)
    counted = [
        _bit_counts(c, n) for c in (active, with_person, with_plan, with_documentation, with_duties)
    ]
    result = []
    for day in days:
        k = span.index[day]
        result.append(Coverage(day, *(c[k] for c in counted)))
    return result


def coverage_over_periods(
    clients: ClientQuerySet, periods: list[tuple[date, date]]
) -> list[PeriodCoverage]:
    """Coverage over each period (first, last), in the same four queries for all of them.

    A client counts for documentation when active on the period's last day. A month of the
    period is due for them when they were active on the month's last day (the period's last
    day for its last month) and their grace period as a new client (the documentation
    duty's grace days) had ended by then; "documented in every month" means a current
    documentation tick in each due month. A client with no due month yet is left out of
    `documentation_clients`, as a new client has no flag before the grace period ends."""
    if not periods:
        return []
    month_ends = {
        (first, last): [min(last_day_of_month(m), last) for m in month_starts(first, last)]
        for first, last in periods
    }
    span = _Days([day for days in month_ends.values() for day in days])
    after_grace = functools.cache(lambda started, days: span.from_(started + timedelta(days)))
    # Per client: active, with a support person, with duties, current plan, documented, and
    # the days after the documentation duty's grace period (the same for every period).
    rows = [
        (
            row.active,
            row.support_person,
            row.documentation is not None,
            row.current_plan,
            row.documented,
            after_grace(row.started_on, row.documentation.grace_days)
            if row.documentation is not None
            else 0,
        )
        for row in _load(clients, span)
    ]
    result = []
    for first, last in periods:
        in_period = 0
        for day in month_ends[(first, last)]:
            in_period |= 1 << span.index[day]
        at_end = 1 << span.index[last]
        clients_at_end = with_person = with_duties = with_plan = 0
        documentation_clients = documented = 0
        for active, person, has_duties, plan, documented_days, graced in rows:
            if not active & at_end:
                continue
            clients_at_end += 1
            with_person += bool(person & at_end)
            if not has_duties:
                continue
            with_duties += 1
            with_plan += bool(plan & at_end)
            due = active & in_period & graced
            if not due:
                continue
            documentation_clients += 1
            documented += not (due & ~documented_days)
        result.append(
            PeriodCoverage(
                first=first,
                last=last,
                clients=clients_at_end,
                with_support_person=with_person,
                with_duties=with_duties,
                with_current_plan=with_plan,
                documentation_clients=documentation_clients,
                documented_every_month=documented,
            )
        )
    return result
