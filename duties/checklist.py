"""The duty checklist of one assignment's client: every duty of the programme with last
done, next due and status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from assignments.models import Assignment

from .models import DutyCheck, DutyState, DutyTemplate

# The order of the work: what is late, then what is due soon, then what is done until a
# later date, then the duties without an interval.
_STATE_ORDER = {
    DutyState.OVERDUE: 0,
    DutyState.DUE_SOON: 1,
    DutyState.DONE: 2,
    DutyState.ONGOING: 3,
}


@dataclass
class ChecklistRow:
    template: DutyTemplate
    last_done: date | None
    next_due: date | None
    state: str
    withdrawable: DutyCheck | None  # today's tick by this user, which may still be taken back

    @property
    def needs_action(self) -> bool:
        return self.state in (DutyState.OVERDUE, DutyState.DUE_SOON)


@dataclass
class ChecklistGroups:
    """The checklist split for the screen: to do now, done until later, ongoing."""

    due: list[ChecklistRow]
    upcoming: list[ChecklistRow]
    ongoing: list[ChecklistRow]


def grouped(rows: list[ChecklistRow]) -> ChecklistGroups:
    return ChecklistGroups(
        due=[r for r in rows if r.needs_action],
        upcoming=[r for r in rows if r.state == DutyState.DONE],
        ongoing=[r for r in rows if r.state == DutyState.ONGOING],
    )


def checklist(assignment: Assignment, *, today: date, user_id: int) -> list[ChecklistRow]:
    """The duty checklist of the assignment's client: every duty of the programme with last
    done (by any support person the client has had), next due and status, in the order of
    the work: overdue, due soon, done (earliest next due first), ongoing. Three queries."""
    client = assignment.client
    templates = list(
        DutyTemplate.objects.filter(programme_id=client.unit.programme_id, is_active=True)
    )
    last_done = dict(
        DutyCheck.objects.current()
        .filter(assignment__client_id=client.pk)
        .values_list("template_id")
        .annotate(last=Max("done_on"))
        .order_by()
    )
    withdrawable = {
        c.template_id: c
        for c in DutyCheck.objects.current().filter(
            assignment=assignment, by_id=user_id, created_at__date=today
        )
    }
    rows = []
    for template in templates:
        last = last_done.get(template.pk)
        due = template.next_due(last_done=last, client_since=client.started_on)
        rows.append(
            ChecklistRow(
                template=template,
                last_done=last,
                next_due=due,
                state=template.state(next_due=due, today=today),
                withdrawable=withdrawable.get(template.pk),
            )
        )
    rows.sort(key=lambda r: (_STATE_ORDER[DutyState(r.state)], r.next_due or date.max))
    return rows


def checklist_row(
    assignment: Assignment, template: DutyTemplate, *, today: date, user_id: int
) -> ChecklistRow:
    """One row, for the htmx answer to a tick."""
    return next(
        row
        for row in checklist(assignment, today=today, user_id=user_id)
        if row.template.pk == template.pk
    )
