"""Coverage: the share of active clients with a support person, with a current
implementation plan, and with documentation in the month (routine A).

One loader reads it for any set of clients and any span of days, in four queries, so the
dashboard, its chart and the tertial report (`coverage_over_periods`) count the same way."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.db.models.functions import TruncMonth

from clients.models import ClientQuerySet
from stodperson.dates import add_months, last_day_of_month, month_starts

from .models import Assignment, DutyCheck, DutyTemplate


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


@dataclass
class _Loaded:
    """What the coverage rules need about a set of clients over [first, last]."""

    client_rows: list[tuple[int, date, date | None, int]]
    spans: dict[int, list[tuple[date, date | None]]]
    templates: dict[tuple[int, str], DutyTemplate]
    plans: dict[int, list[date]]
    documented: set[tuple[int, date]]


@dataclass(frozen=True)
class _State:
    """One client on one day."""

    client_id: int
    started_on: date
    has_support_person: bool
    has_duties: bool
    has_current_plan: bool
    documented_in_month: bool
    documentation: DutyTemplate | None


def _load(clients: ClientQuerySet, first: date, last: date) -> _Loaded:
    """Four queries, whatever the number of clients or days."""
    client_rows = list(
        clients.filter(Q(started_on__lte=last), Q(ended_on__isnull=True) | Q(ended_on__gt=first))
        .values_list("id", "started_on", "ended_on", "unit__programme_id")
        .order_by()
    )
    ids = clients.values("id")
    spans: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for client_id, started, ended in (
        Assignment.objects.filter(client__in=ids, started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first))
        .values_list("client_id", "started_on", "ended_on")
        .order_by()
    ):
        spans[client_id].append((started, ended))

    templates = {
        (t.programme_id, t.code): t
        for t in DutyTemplate.objects.filter(
            code__in=[DutyTemplate.Code.IMPLEMENTATION_PLAN, DutyTemplate.Code.DOCUMENTATION],
            is_active=True,
        )
    }
    plan_interval = max(
        (
            t.interval_months or 0
            for (_, code), t in templates.items()
            if code == "implementation_plan"
        ),
        default=0,
    )
    plans: dict[int, list[date]] = defaultdict(list)
    documented: set[tuple[int, date]] = set()
    checks = (
        DutyCheck.objects.current()
        .filter(
            assignment__client__in=ids,
            template__code__in=[
                DutyTemplate.Code.IMPLEMENTATION_PLAN,
                DutyTemplate.Code.DOCUMENTATION,
            ],
            done_on__lte=last,
            done_on__gte=add_months(first.replace(day=1), -max(plan_interval, 1)),
        )
        .annotate(month=TruncMonth("done_on"))
        .values_list("assignment__client_id", "template__code", "month", "done_on")
        .order_by()
    )
    for client_id, code, month, done_on in checks:
        if code == DutyTemplate.Code.IMPLEMENTATION_PLAN:
            plans[client_id].append(done_on)
        else:
            documented.add((client_id, _as_date(month)))
    return _Loaded(client_rows, spans, templates, plans, documented)


def _states_on(data: _Loaded, day: date) -> list[_State]:
    """The clients active on `day`, each with what the rules say about them that day;
    documentation counts the calendar month of `day` up to the last loaded day."""
    states = []
    for client_id, started, ended, programme_id in data.client_rows:
        if not (started <= day and (ended is None or ended > day)):
            continue
        has_support_person = any(
            s <= day and (e is None or e > day) for s, e in data.spans.get(client_id, ())
        )
        plan = data.templates.get((programme_id, DutyTemplate.Code.IMPLEMENTATION_PLAN))
        documentation = data.templates.get((programme_id, DutyTemplate.Code.DOCUMENTATION))
        if plan is None or documentation is None:
            states.append(_State(client_id, started, has_support_person, False, False, False, None))
            continue
        last_plan = max((d for d in data.plans.get(client_id, ()) if d <= day), default=None)
        due = plan.next_due(last_done=last_plan, client_since=started)
        states.append(
            _State(
                client_id,
                started,
                has_support_person,
                True,
                due is not None and due >= day,
                (client_id, day.replace(day=1)) in data.documented,
                documentation,
            )
        )
    return states


def coverage_on_days(clients: ClientQuerySet, days: list[date]) -> list[Coverage]:
    """Coverage on each day; documentation counts the calendar month up to that day."""
    if not days:
        return []
    data = _load(clients, min(days), max(days))
    result = []
    for day in days:
        states = _states_on(data, day)
        result.append(
            Coverage(
                day,
                len(states),
                sum(s.has_support_person for s in states),
                sum(s.has_current_plan for s in states),
                sum(s.documented_in_month for s in states),
                sum(s.has_duties for s in states),
            )
        )
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
    data = _load(clients, min(p[0] for p in periods), max(p[1] for p in periods))
    result = []
    for first, last in periods:
        month_ends = [min(last_day_of_month(month), last) for month in month_starts(first, last)]
        by_month = [{s.client_id: s for s in _states_on(data, day)} for day in month_ends]
        at_end = list(by_month[-1].values())
        documentation_clients = documented = 0
        for state in at_end:
            if state.documentation is None:
                continue
            grace_ends = state.started_on + timedelta(days=state.documentation.grace_days)
            due = [
                month.get(state.client_id)
                for month, day in zip(by_month, month_ends, strict=True)
                if state.client_id in month and grace_ends <= day
            ]
            if not due:
                continue
            documentation_clients += 1
            documented += all(s is not None and s.documented_in_month for s in due)
        result.append(
            PeriodCoverage(
                first=first,
                last=last,
                clients=len(at_end),
                with_support_person=sum(s.has_support_person for s in at_end),
                with_duties=sum(s.has_duties for s in at_end),
                with_current_plan=sum(s.has_current_plan for s in at_end),
                documentation_clients=documentation_clients,
                documented_every_month=documented,
            )
        )
    return result


def _as_date(value: date) -> date:
    # TruncMonth gives a date on a DateField, on every backend Django supports.
    return value if type(value) is date else value.date()  # type: ignore[attr-defined]
