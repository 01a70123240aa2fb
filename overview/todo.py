"""The to-do lists of the start pages (issue 14, "each role's day on one screen"), one read
path per role, each in a fixed number of queries whatever the number of rows:

- a support person: the duties due across their clients (duties.checklist.day_of), and
  their clients with their open flags;
- an administrator, above what the dashboard gives a unit manager (overview.screens): the
  requests by deadline, the tertial reports waiting and this week's training events.

Each list says what is due by the rules of the app that owns it (the checklist's states,
the request clock); nothing here decides again whether something is late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from assignments.models import Assignment, SupportRequest
from assignments.request_list import QueueRow, request_queue
from clients.models import Programme, Unit
from duties.checklist import Day, day_of
from flags.models import Flag
from stodperson.tertials import Tertial
from supportpersons.models import TrainingEvent
from supportpersons.screens import events_for_list

from .screens import TODO_LIMIT

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# --- A support person's day ------------------------------------------------------------


@dataclass
class SupportPersonDay:
    assignments: list[Assignment]  # their current assignments, the clients in name order
    day: Day


def support_person_day(user: User, *, today: date) -> SupportPersonDay:
    """Six queries: the assignments, their clients' open flags, and the checklists' three."""
    assignments = list(
        Assignment.objects.active()
        .filter(support_person__user=user)
        .select_related("client__unit", "support_person")
        .prefetch_related(
            Prefetch("client__flags", queryset=Flag.objects.open(), to_attr="open_flags")
        )
        .order_by("client__search_name", "client_id")
    )
    return SupportPersonDay(
        assignments=assignments, day=day_of(assignments, today=today, user_id=user.pk)
    )


# --- An administrator's to-do, beyond the unit manager's --------------------------------


@dataclass(frozen=True)
class ReportTask:
    """A tertial report to write or to make final: none yet for the tertial that has ended,
    or a draft."""

    programme: Programme
    period: Tertial
    report_id: int | None  # None: not created yet
    # The tertial has not ended: the draft cannot be made final yet (reports.services).
    running: bool


@dataclass
class AdminTodo:
    requests: list[QueueRow]  # waiting with a deadline, the earliest first (the queue's order)
    request_count: int
    paused_count: int  # waiting without a deadline: the clock stands still
    reports: list[ReportTask]  # of ended tertials: to write or to make final
    running_reports: list[ReportTask]  # drafts of the tertial that runs now
    current_tertial: Tertial
    events: list[TrainingEvent]  # this week's, Monday to Sunday, not cancelled


def admin_todo(user: User, units: list[Unit], *, today: date) -> AdminTodo:
    """Five queries: the requests and their pauses (the queue's own read), the reports,
    and the events with their registrations counted."""
    queue = request_queue(
        SupportRequest.objects.visible_to(user).filter(client__unit__in=units), today
    )
    # Every waiting request with a deadline falls due within the programme's target of
    # working days, so these are the late ones and those due in the next working days.
    with_deadline = [row for row in queue if row.deadline is not None]
    programmes = {unit.programme_id: unit.programme for unit in units}
    reports = reports_waiting(list(programmes.values()), today=today)
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    events = events_for_list(
        TrainingEvent.objects.filter(programme_id__in=programmes, on__range=(monday, sunday))
        .exclude(status=TrainingEvent.Status.CANCELLED)
        .order_by("on", "id")
    )
    return AdminTodo(
        requests=with_deadline[:TODO_LIMIT],
        request_count=len(with_deadline),
        paused_count=len(queue) - len(with_deadline),
        reports=[task for task in reports if not task.running],
        running_reports=[task for task in reports if task.running],
        current_tertial=Tertial.of(today),
        events=list(events),
    )


def _reports_of(programmes: list[Programme]) -> QuerySet:
    """The programmes' tertial reports, without their figures. The reports app stands above
    overview: its model is reached through the relation it declares on Programme (as
    clients.models.assignment_model reaches the assignments)."""
    report_model = Programme._meta.get_field("tertial_reports").related_model
    return report_model._default_manager.filter(  # type: ignore[union-attr]
        programme__in=programmes
    ).only("id", "programme_id", "year", "tertial", "status")


def reports_waiting(programmes: list[Programme], *, today: date) -> list[ReportTask]:
    """The report of the tertial that has just ended, where it is not made yet, and every
    draft, the oldest tertial first. A programme writes tertial reports when it is the
    patient committee's (README: "writes a report every tertial") or has written one."""
    ended = Tertial.of(today).previous()
    reports = list(_reports_of(programmes)) if programmes else []
    tasks = [
        ReportTask(
            programme=next(p for p in programmes if p.pk == report.programme_id),
            period=report.period,
            report_id=report.pk,
            running=report.period.last_day >= today,
        )
        for report in reports
        if not report.is_final
    ]
    for programme in programmes:
        own = {r.period for r in reports if r.programme_id == programme.pk}
        reporting = own or programme.kind == Programme.Kind.PATIENT_COMMITTEE
        if reporting and ended not in own:
            tasks.append(ReportTask(programme, ended, report_id=None, running=False))
    return sorted(tasks, key=lambda task: (task.period, task.programme.name))
