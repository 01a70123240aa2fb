"""The duty checklist of one assignment's client: every duty of the programme with last
done, next due and status; and the duties due across a support person's assignments, for
their start page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
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

    @property
    def work_order(self) -> tuple[int, date]:
        """Overdue, due soon, done, ongoing; within each the earliest next due first."""
        return (_STATE_ORDER[DutyState(self.state)], self.next_due or date.max)


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


def checklists(
    assignments: Sequence[Assignment], *, today: date, user_id: int
) -> dict[int, list[ChecklistRow]]:
    """The duty checklist of each assignment's client, by assignment id: every duty of the
    programme with last done (by any support person the client has had), next due and
    status, in the order of the work: overdue, due soon, done (earliest next due first),
    ongoing. Three queries whatever the number of assignments (each needs its client and
    unit loaded)."""
    if not assignments:
        return {}
    templates: dict[int, list[DutyTemplate]] = defaultdict(list)
    for template in DutyTemplate.objects.filter(
        programme_id__in={a.client.unit.programme_id for a in assignments}, is_active=True
    ):
        templates[template.programme_id].append(template)
    last_done: dict[tuple[int, int], date] = {
        (client_id, template_id): last
        for client_id, template_id, last in DutyCheck.objects.current()
        .filter(assignment__client_id__in={a.client_id for a in assignments})
        .values_list("assignment__client_id", "template_id")
        .annotate(last=Max("done_on"))
        .order_by()
    }
    withdrawable = {
        (c.assignment_id, c.template_id): c
        for c in DutyCheck.objects.current().filter(
            assignment__in=[a.pk for a in assignments], by_id=user_id, created_at__date=today
        )
    }
    result = {}
    for assignment in assignments:
        client = assignment.client
        rows = []
        for template in templates[client.unit.programme_id]:
            last = last_done.get((client.pk, template.pk))
            due = template.next_due(last_done=last, client_since=client.started_on)
            rows.append(
                ChecklistRow(
                    template=template,
                    last_done=last,
                    next_due=due,
                    state=template.state(next_due=due, today=today),
                    withdrawable=withdrawable.get((assignment.pk, template.pk)),
                )
            )
        rows.sort(key=lambda r: r.work_order)
        result[assignment.pk] = rows
    return result


def checklist(assignment: Assignment, *, today: date, user_id: int) -> list[ChecklistRow]:
    """The duty checklist of the assignment's client (see `checklists`). Three queries."""
    return checklists([assignment], today=today, user_id=user_id)[assignment.pk]


def checklist_row(
    assignment: Assignment, template: DutyTemplate, *, today: date, user_id: int
) -> ChecklistRow:
    """One row, for the htmx answer to a tick."""
    return next(
        row
        for row in checklist(assignment, today=today, user_id=user_id)
        if row.template.pk == template.pk
    )


# --- A support person's day: the duties due across their assignments ---------------------


@dataclass
class DueDuty:
    """One duty of one assignment's checklist, on the support person's start page."""

    assignment: Assignment
    row: ChecklistRow


@dataclass
class Day:
    due: list[DueDuty]  # overdue and due soon, overdue first, the earliest next due first
    done_today: list[DueDuty]  # ticked today by this person, which they may still take back
    next_due: DueDuty | None  # the duty that falls due next of those not yet due

    @property
    def overdue_count(self) -> int:
        return sum(d.row.state == DutyState.OVERDUE for d in self.due)


def day_of(assignments: Sequence[Assignment], *, today: date, user_id: int) -> Day:
    """The duties due across the assignments, by the checklist's own rules and order (a
    duty needs action when it is overdue or due soon). Three queries, as `checklists`."""
    rows = checklists(assignments, today=today, user_id=user_id)
    every = [DueDuty(a, row) for a in assignments for row in rows[a.pk]]
    # A stable sort: duties in the same state due the same day keep the assignments' order.
    every.sort(key=lambda duty: duty.row.work_order)
    later = [d for d in every if not d.row.needs_action and d.row.next_due is not None]
    return Day(
        due=[d for d in every if d.row.needs_action],
        done_today=[d for d in every if d.row.withdrawable is not None and not d.row.needs_action],
        next_due=min(later, key=lambda d: d.row.work_order[1], default=None),
    )
