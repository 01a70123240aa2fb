"""Duty templates (the checklist of a programme) and duty checks (ticks), with the rules for
when a duty is next due."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment
from clients.models import Programme, client_scope
from stodperson.access import ScopedQuerySet
from stodperson.dates import add_months, last_day_of_month

if TYPE_CHECKING:
    from django.contrib.auth.models import User


DUE_SOON_DAYS = 30


class DutyState(models.TextChoices):
    DONE = "done", _("Done")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ONGOING = "ongoing", _("Ongoing")


class DutyTemplate(models.Model):
    """One item of a programme's duty checklist (routine A lists twelve)."""

    class Code(models.TextChoices):
        # Duties the background checks look for; other duties have no code.
        IMPLEMENTATION_PLAN = "implementation_plan", _("Implementation plan")
        DOCUMENTATION = "documentation", _("Social documentation")

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="duty_templates", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=30, choices=Code.choices, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    interval_months = models.PositiveSmallIntegerField(
        _("interval (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: an ongoing duty with no due date."),
    )
    per_calendar_month = models.BooleanField(
        _("counted in calendar months"),
        default=False,
        help_text=_(
            "Due in every calendar month (or every n-th), rather than n months after the "
            "last time it was done."
        ),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=0,
        help_text=_("How long a new client has before the duty is due the first time."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        # The table from before the app was split out of assignments (issue #12).
        db_table = "assignments_dutytemplate"
        verbose_name = _("duty template")
        verbose_name_plural = _("duty templates")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=~Q(code=""),
                name="dutytemplate_code_unique_per_programme",
                violation_error_message=_(
                    "The programme already has a duty with this code. Choose another code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return self.interval_months is not None

    def next_due(self, *, last_done: date | None, client_since: date) -> date | None:
        """The last day the duty may next be done on time. A calendar-month duty (routine A:
        documentation "minst 1 gång/månad") is due by the end of the month after the month it
        was last done; any other by the same date `interval_months` later (the plan
        "minst 1 gång/år": reviewed at most 12 months ago). Never done: the grace period."""
        if self.interval_months is None:
            return None
        if last_done is None:
            first_due = client_since + timedelta(days=self.grace_days)
            # A calendar-month duty is first due by the end of the month the grace period
            # ends in, as the monthly check flags it (checks._calendar_overdue).
            return last_day_of_month(first_due) if self.per_calendar_month else first_due
        if self.per_calendar_month:
            return last_day_of_month(add_months(last_done.replace(day=1), self.interval_months))
        return add_months(last_done, self.interval_months)

    def state(self, *, next_due: date | None, today: date) -> str:
        """done, due soon or overdue on `today`; ongoing for a duty with no interval."""
        if next_due is None:
            return DutyState.ONGOING
        if next_due < today:
            return DutyState.OVERDUE
        if self.per_calendar_month:
            # Not yet done in the current period: it is due by the end of this month.
            soon = next_due <= last_day_of_month(today)
        else:
            soon = next_due <= today + timedelta(days=DUE_SOON_DAYS)
        return DutyState.DUE_SOON if soon else DutyState.DONE

    def stale_before(self, today: date) -> date | None:
        """Done before this date, the duty is overdue today: the inverse of next_due, so
        that set-based checks can compare one column against one date."""
        if self.interval_months is None:
            return None
        if self.per_calendar_month:
            return add_months(today.replace(day=1), -self.interval_months)
        back = add_months(today, -self.interval_months)
        if back.day < today.day:
            # Clipped at a shorter month's end (2024-02-29 less 12 months is 2023-02-28): a
            # tick on that day fell due before today, so it is overdue too.
            return back + timedelta(days=1)
        return back


def tick_scope(user: User, prefix: str = "") -> Q:
    """The assignments whose checklist a user ticks, as a filter on any row that hangs on
    one (`prefix` is the path to the assignment): their own, while it runs."""
    return Q(**{f"{prefix}support_person__user": user, f"{prefix}ended_on__isnull": True})


class DutyCheckQuerySet(ScopedQuerySet["DutyCheck"]):
    # A tick records who did the duty: nobody ticks or takes back a tick for the support
    # person, not even an administrator.
    administrators_write = False

    def scope(self, user: User, *, write: bool) -> Q:
        """Ticks follow the client for reading; only the support person changes them."""
        if write:
            return tick_scope(user, "assignment__")
        return client_scope(user, "assignment__client__")

    def current(self) -> DutyCheckQuerySet:
        """Ticks that stand: a withdrawn tick is kept in the history but does not count."""
        return self.filter(withdrawn_at__isnull=True)


class DutyCheck(models.Model):
    """One tick on the checklist: this duty was done on this day."""

    assignment = models.ForeignKey(
        Assignment, models.PROTECT, related_name="duty_checks", verbose_name=_("assignment")
    )
    template = models.ForeignKey(
        DutyTemplate, models.PROTECT, related_name="checks", verbose_name=_("duty")
    )
    done_on = models.DateField(_("done"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticked by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = DutyCheckQuerySet.as_manager()

    class Meta:
        # The table from before the app was split out of assignments (issue #12).
        db_table = "assignments_dutycheck"
        verbose_name = _("duty check")
        verbose_name_plural = _("duty checks")
        ordering = ["-done_on", "-id"]
        indexes = [
            models.Index(fields=["assignment", "template", "done_on"]),
            # Coverage reads the current ticks of two duties over months for many clients:
            # with the assignment in the index it never visits the table (issue #8).
            models.Index(
                fields=["template", "done_on", "assignment"],
                condition=Q(withdrawn_at__isnull=True),
                name="dutycheck_current_by_template",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.done_on:%Y-%m-%d}"
