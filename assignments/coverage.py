"""Coverage: the share of active clients with a support person, with a current
implementation plan, and with documentation in the month (routine A).

One function computes it for any set of clients and any list of days, in four queries,
so the dashboard, its chart and the tertial report count the same way."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.db.models.functions import TruncMonth

from clients.models import ClientQuerySet
from stodperson.dates import add_months

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


def coverage_on_days(clients: ClientQuerySet, days: list[date]) -> list[Coverage]:
    """Coverage on each day; documentation counts the calendar month up to that day."""
    if not days:
        return []
    first, last = min(days), max(days)
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

    result = []
    for day in days:
        counts = [0, 0, 0, 0, 0]
        for client_id, started, ended, programme_id in client_rows:
            if not (started <= day and (ended is None or ended > day)):
                continue
            counts[0] += 1
            if any(s <= day and (e is None or e > day) for s, e in spans.get(client_id, ())):
                counts[1] += 1
            plan = templates.get((programme_id, DutyTemplate.Code.IMPLEMENTATION_PLAN))
            documentation = templates.get((programme_id, DutyTemplate.Code.DOCUMENTATION))
            if plan is None or documentation is None:
                continue
            counts[4] += 1
            last_plan = max((d for d in plans.get(client_id, ()) if d <= day), default=None)
            due = plan.next_due(last_done=last_plan, client_since=started)
            if due is not None and due >= day:
                counts[2] += 1
            if (client_id, day.replace(day=1)) in documented:
                counts[3] += 1
        result.append(Coverage(day, counts[0], counts[1], counts[2], counts[3], counts[4]))
    return result


def _as_date(value: date) -> date:
    # TruncMonth gives a date on a DateField, on every backend Django supports.
    return value if type(value) is date else value.date()  # type: ignore[attr-defined]
