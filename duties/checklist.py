"""The duty checklist of one assignment's client: every duty of the programme with last
done, next due and status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from assignments.models import Assignment

from .models import DutyCheck, DutyTemplate


@dataclass
class ChecklistRow:
    template: DutyTemplate
    last_done: date | None
    next_due: date | None
    state: str
    withdrawable: DutyCheck | None  # today's tick by this user, which may still be taken back


def checklist(assignment: Assignment, *, today: date, user_id: int) -> list[ChecklistRow]:
    """The duty checklist of the assignment's client: every duty of the programme with last
    done (by any support person the client has had), next due and status. Three queries."""
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
