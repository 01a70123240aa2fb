"""Ticks on the personal-assistance checklists: documentation most months, the
implementation plan and the other yearly duties about once a year, the ongoing duties now
and then (every month in the large sizes, for their volume)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from assignments.models import Assignment
from duties.models import DutyCheck, DutyTemplate
from stodperson.dates import last_day_of_month, month_starts

from .build import ONE_DAY, Build, Plan
from .texts import DUTY_NOTES
from .writing import write_rows

_TEN_MIN = timedelta(minutes=10)
# One tick: assignment, template id, done on, note, by, created at, withdrawn at, by.
Tick = tuple[Assignment, int, date, str, int | None, datetime, datetime | None, int | None]
DUTY_CHECK_COLUMNS = [
    "id",
    "assignment_id",
    "template_id",
    "done_on",
    "note",
    "by_id",
    "created_at",
    "withdrawn_at",
    "withdrawn_by_id",
]


class Duties(Build):
    def create_duty_checks(self) -> None:
        ticks = self.duty_ticks()
        if self.profile.preset_keys:
            # Streamed: a million ticks at the size of a region are never all in memory.
            first = self.pk(DutyCheck) or 0
            rows = ((first + i, a.pk, *rest) for i, (a, *rest) in enumerate(ticks))
            self.counts["duty checks"] = count = write_rows(DutyCheck, DUTY_CHECK_COLUMNS, rows)
            self.next_id[DutyCheck] = first + count
            return
        self.counts["duty checks"] = self.store(
            DutyCheck,
            [
                DutyCheck(
                    assignment=assignment,
                    template_id=template_id,
                    done_on=on,
                    note=note,
                    by_id=by,
                    created_at=created,
                    withdrawn_at=withdrawn,
                    withdrawn_by_id=withdrawn_by,
                )
                for assignment, template_id, on, note, by, created, withdrawn, withdrawn_by in ticks
            ],
        )

    def duty_ticks(self) -> Iterator[Tick]:
        rng, today, profile = self.rng, self.today, self.profile
        templates = list(DutyTemplate.objects.filter(programme=self.lss, is_active=True))
        by_code = {t.code: t for t in templates if t.code}
        documentation = by_code.get(DutyTemplate.Code.DOCUMENTATION)
        plan_template = by_code.get(DutyTemplate.Code.IMPLEMENTATION_PLAN)
        yearly = [t for t in templates if not t.code and t.interval_months == 12]
        ongoing = [t for t in templates if t.interval_months is None]
        monthly = profile.ongoing_ticks_monthly and ongoing

        def tick(assignment: Assignment, template: DutyTemplate, on: date, note: str = "") -> Tick:
            # An assistant without an account: the unit manager recorded it.
            by = assignment.support_person.user_id or assignment.decided_by_id
            created = self.at(on, rng.randint(13, 17), rng.randrange(60))
            chance = profile.withdrawn_tick_chance
            if chance and rng.random() < chance:
                return (assignment, template.pk, on, note, by, created, created + _TEN_MIN, by)
            return (assignment, template.pk, on, note, by, created, None, None)

        for plan in self.plans:
            if not plan.personal_assistance:
                continue
            for assignment in plan.assignments:
                last = assignment.ended_on - ONE_DAY if assignment.ended_on is not None else today
                is_current = assignment.ended_on is None
                for month in month_starts(max(assignment.started_on, self.window_start), last):
                    first_day = max(month, assignment.started_on)
                    last_day = min(last_day_of_month(month), last)
                    if documentation is not None and self.documented(plan, month, is_current):
                        yield tick(assignment, documentation, self.day_between(first_day, last_day))
                    for _ in range(rng.choice((1, 2, 2, 3)) if monthly else 0):
                        duty = rng.choice(ongoing)
                        yield tick(assignment, duty, self.day_between(first_day, last_day))
                for template, note in [(plan_template, "Genomförandeplanen uppdaterad")] + [
                    (t, "") for t in yearly
                ]:
                    if template is None:
                        continue
                    dates = self.yearly(assignment.started_on, last)
                    if template is not plan_template:
                        dates = [d for d in dates if rng.random() < 0.7]
                    elif plan.overdue_plan and is_current:
                        dates = [d for d in dates if d < today - timedelta(days=380)]
                    for on in dates:
                        yield tick(assignment, template, on, note)
                if is_current and ongoing and not monthly:
                    for _ in range(rng.randint(1, 3)):
                        template = rng.choice(ongoing)
                        on = self.day_between(
                            max(assignment.started_on, today - timedelta(days=120)), today
                        )
                        yield tick(assignment, template, on, DUTY_NOTES.get(template.order, ""))

    def documented(self, plan: Plan, month: date, is_current: bool) -> bool:
        """Most months have their documentation; a few do not, nor do the last two of a
        client whose documentation has lapsed, and this month's is often still to come."""
        this_month = self.today.replace(day=1)
        last_month = (this_month - ONE_DAY).replace(day=1)
        lapsed = plan.documentation_lapsed and is_current and month >= last_month
        if lapsed or self.rng.random() < 0.06:
            return False
        return not (month == this_month and self.rng.random() < 0.4)

    def yearly(self, started_on: date, last: date) -> list[date]:
        """About once a year, the first time within the 30 days' grace of a new assignment."""
        dates = []
        on = started_on + timedelta(days=self.rng.randint(7, 28))
        while on <= last:
            if on >= self.window_start - timedelta(days=365):
                dates.append(on)
            on += timedelta(days=self.rng.randint(320, 364))
        return dates
