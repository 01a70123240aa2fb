"""Read paths of the volunteer's contact screens, each in a fixed number of queries: the
month of one assignment, and the to-do of contacts to report (the include
`assignments/includes/contact_todo.html`, which the volunteer's home page shows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.http import HttpRequest

from .access import note_assignment_read
from .contacts import MonthlyReport, SupportContact, month_of, report_due_on
from .models import Assignment

if TYPE_CHECKING:
    from django.contrib.auth.models import User

State = MonthlyReport.State


def previous_month(month: date) -> date:
    return (month.replace(day=1) - date.resolution).replace(day=1)


@dataclass
class MonthPage:
    assignment: Assignment
    month: date
    report: MonthlyReport | None
    contacts: list[SupportContact]
    total_minutes: int = 0
    total_km: Decimal = Decimal("0")
    total_expenses: Decimal = Decimal("0")
    by_kind: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.report is None or self.report.is_open

    @property
    def state(self) -> str:
        return self.report.state if self.report else State.DRAFT

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def version(self) -> str:
        return self.report.updated_at.isoformat() if self.report else ""


def month_page(assignment: Assignment, month: date) -> MonthPage:
    """The month's report and contacts of one assignment: two queries."""
    report = MonthlyReport.objects.filter(assignment=assignment, month=month).first()
    contacts = list(
        SupportContact.objects.filter(assignment=assignment, report__month=month).order_by(
            "on", "id"
        )
    )
    counts: dict[str, int] = {}
    for contact in contacts:
        counts[contact.kind] = counts.get(contact.kind, 0) + 1
    return MonthPage(
        assignment=assignment,
        month=month,
        report=report,
        contacts=contacts,
        total_minutes=sum(c.duration_minutes for c in contacts),
        total_km=sum((c.kilometres for c in contacts), Decimal("0")),
        total_expenses=sum((c.expenses for c in contacts), Decimal("0")),
        by_kind=[
            (str(label), counts[kind])
            for kind, label in SupportContact.Kind.choices
            if kind in counts
        ],
    )


@dataclass
class TodoItem:
    """One line of the volunteer's to-do: a month to report for one assignment."""

    assignment: Assignment
    month: date
    report: MonthlyReport | None
    due_on: date | None = None
    late: bool = False

    @property
    def contact_count(self) -> int:
        return getattr(self.report, "contact_count", 0) if self.report else 0

    @property
    def state(self) -> str:
        return self.report.state if self.report else State.DRAFT

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


@dataclass
class ContactTodo:
    this_month: list[TodoItem]  # the current month of each running assignment
    to_submit: list[TodoItem]  # last month, not handed in yet
    returned: list[TodoItem]  # returned by the office, to correct

    @property
    def count(self) -> int:
        """Things to do: months to hand in and reports to correct."""
        return len(self.to_submit) + len(self.returned)

    @property
    def items(self) -> list[TodoItem]:
        return self.this_month + self.to_submit + self.returned


def contact_todo(user: User, *, today: date) -> ContactTodo:
    """What the volunteer has to report: this month's contacts of each running assignment,
    last month's report if not handed in (with its due day), and the reports the office has
    returned. Two queries whatever the number of assignments and reports."""
    this_month = month_of(today)
    last_month = previous_month(this_month)
    assignments = list(
        Assignment.objects.filter(support_person__user=user)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=last_month))
        .select_related("client__unit__programme", "support_person")
        .order_by("started_on", "id")
    )
    reports = (
        MonthlyReport.objects.filter(assignment__support_person__user=user)
        .filter(Q(month__gte=last_month) | Q(state=State.RETURNED))
        .select_related("assignment__client__unit__programme", "assignment__support_person")
        .annotate(contact_count=Count("contacts"))
        .order_by("month", "id")
    )
    report_of: dict[tuple[int, date], MonthlyReport] = {}
    returned: list[TodoItem] = []
    for report in reports:
        report_of[(report.assignment_id, report.month)] = report
        if report.state == State.RETURNED:
            # Joined: a returned report may be of an assignment that ended long ago.
            returned.append(TodoItem(report.assignment, report.month, report))
    current: list[TodoItem] = []
    to_submit: list[TodoItem] = []
    for assignment in assignments:
        if assignment.is_active_on(today):
            current.append(
                TodoItem(assignment, this_month, report_of.get((assignment.pk, this_month)))
            )
        if assignment.started_on < this_month:
            last = report_of.get((assignment.pk, last_month))
            if last is None or last.state == State.DRAFT:
                due = report_due_on(
                    last_month, assignment.client.unit.programme.report_due_working_day
                )
                to_submit.append(TodoItem(assignment, last_month, last, due, today > due))
    return ContactTodo(this_month=current, to_submit=to_submit, returned=returned)


def contact_todo_context(request: HttpRequest, *, today: date) -> dict[str, Any]:
    """The context of the include `assignments/includes/contact_todo.html` for the user of
    the request, in two queries; notes the assignments it shows in the read log."""
    todo = contact_todo(request.user, today=today)  # type: ignore[arg-type]
    # The patient is named only while the assignment is active
    # (templates/assignments/includes/assignment_name.html), so only those are reads.
    shown = {
        item.assignment.pk: item.assignment for item in todo.items if item.assignment.is_active
    }
    note_assignment_read(request, *shown.values())
    return {"contact_todo": todo, "today": today}
