"""Requests, assignments, changes of support person, duties and flags."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Client, Gender, Language, Programme, Unit, client_scope
from stodperson import roles
from stodperson.dates import add_months, last_day_of_month
from supportpersons.models import SupportPerson

from . import workdays

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class RequestQuerySet(models.QuerySet["Request"]):
    def visible_to(self, user: User | AnonymousUser) -> RequestQuerySet:
        if roles.is_administrator(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(client__unit__in=Unit.objects.filter(managers=user))

    def open(self) -> RequestQuerySet:
        return self.filter(withdrawn_at__isnull=True, assignment__isnull=True)


class Request(models.Model):
    """A request (begäran) for a support person; the clock of domain.md rule 5 runs from it."""

    class Source(models.TextChoices):
        PATIENT = "patient", _("The patient")
        WARD_STAFF = "ward_staff", _("Ward staff")
        RELATIVE = "relative", _("Relative")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, models.PROTECT, related_name="requests", verbose_name=_("client")
    )
    received_at = models.DateTimeField(_("received"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    wished_gender = models.CharField(
        _("wished gender"), max_length=10, choices=Gender.choices, blank=True
    )
    wished_language = models.ForeignKey(
        Language,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wished language"),
    )
    note = models.TextField(_("note"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    late_reason = models.TextField(_("reason for delay"), blank=True)
    delay_excused = models.BooleanField(
        _("delay excused"),
        default=False,
        help_text=_("The patient could not take a position because of their health."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    history = HistoricalRecords()
    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return _("Request %(id)s") % {"id": self.pk}

    @property
    def received_on(self) -> date:
        return timezone.localdate(self.received_at)

    def pause_spans(self) -> list[workdays.Pause]:
        """The pauses as (from, resumed) dates; uses prefetched pauses when there are any."""
        return [(p.started_on, p.ended_on) for p in self.pauses.all()]

    def deadline(self, target: int) -> date | None:
        """The day the appointment is due, on the Swedish working-day calendar."""
        return workdays.deadline(self.received_on, target, self.pause_spans())


class RequestPause(models.Model):
    """Time when the patient could not take a position; it does not count against the target."""

    request = models.ForeignKey(
        Request, models.CASCADE, related_name="pauses", verbose_name=_("request")
    )
    started_on = models.DateField(_("paused"))
    ended_on = models.DateField(_("resumed"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="requestpause_ends_after_start",
                violation_error_message=_("The clock cannot resume before the pause began."),
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(ended_on__isnull=True),
                name="requestpause_one_open_per_request",
                violation_error_message=_("The request is already paused."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_on:%Y-%m-%d} – {self.ended_on or ''}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, user: User | AnonymousUser) -> AssignmentQuerySet:
        if roles.is_administrator(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(client__unit__in=Unit.objects.filter(managers=user))
            | Q(support_person__user=user, ended_on__isnull=True)
        )

    def active(self) -> AssignmentQuerySet:
        return self.filter(ended_on__isnull=True)

    def active_on(self, day: date) -> AssignmentQuerySet:
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class Assignment(models.Model):
    """An assignment (uppdrag): a support person for a client, from appointment (förordnande)
    to release (entledigande). The history is never deleted."""

    class EndReason(models.TextChoices):
        CARE_ENDED = "care_ended", _("Care or service ended")
        CLIENT_WISH = "client_wish", _("The client's wish")
        SUPPORT_PERSON_WISH = "support_person_wish", _("The support person's wish")
        CHANGE = "change", _("Change of support person")
        SUPPORT_PERSON_INACTIVE = "support_person_inactive", _("Support person deactivated")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, models.PROTECT, related_name="assignments", verbose_name=_("client")
    )
    support_person = models.ForeignKey(
        SupportPerson,
        models.PROTECT,
        related_name="assignments",
        verbose_name=_("support person"),
    )
    request = models.OneToOneField(
        Request,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment",
        verbose_name=_("request"),
    )
    started_on = models.DateField(_("appointed"))
    ended_on = models.DateField(_("released"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for release"), max_length=30, choices=EndReason.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-started_on", "id"]
        constraints = [
            # Routine A: every client has exactly one designated support person; the database
            # keeps it to at most one, whatever the form or the race.
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(ended_on__isnull=True),
                name="assignment_one_active_per_client",
                violation_error_message=_("The client already has an active support person."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="assignment_ended_has_reason",
                violation_error_message=_("An ended assignment needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["support_person", "ended_on"]),
            models.Index(fields=["started_on"]),
            models.Index(fields=["ended_on"]),
            # The dashboard's recent changes, newest first, for all units (issue #8).
            models.Index(
                Coalesce("ended_on", "started_on").desc(),
                F("id").desc(),
                name="assignment_latest_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} – {self.support_person}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    def is_active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


class SupportPersonChange(models.Model):
    """Byte av stödperson (routine A): why, when the client was told, who takes over, and who
    else was informed."""

    class Reason(models.TextChoices):
        CLIENT_WISH = "client_wish", _("The client's wish")
        SUPPORT_PERSON_WISH = "support_person_wish", _("The support person's wish")
        SUPPORT_PERSON_LEFT = "support_person_left", _("The support person left or was paused")
        OTHER = "other", _("Other")

    previous = models.OneToOneField(
        Assignment,
        models.PROTECT,
        related_name="change_from",
        verbose_name=_("previous assignment"),
    )
    successor = models.OneToOneField(
        Assignment,
        models.PROTECT,
        related_name="change_to",
        verbose_name=_("new assignment"),
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    reason_note = models.TextField(_("note"), blank=True)
    client_informed_on = models.DateField(_("client informed"))
    good_man_informed_on = models.DateField(_("god man informed"), null=True, blank=True)
    relatives_informed_on = models.DateField(_("relatives informed"), null=True, blank=True)
    case_officer_informed_on = models.DateField(_("case officer informed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of support person")
        verbose_name_plural = _("changes of support person")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous.support_person} → {self.successor.support_person}"


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
        verbose_name = _("duty template")
        verbose_name_plural = _("duty templates")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=~Q(code=""),
                name="dutytemplate_code_unique_per_programme",
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


class SatisfactionFollowUp(models.Model):
    """The unit manager's follow-up of the client's satisfaction with the support person
    (routine A, "Byte av stödperson"); a wish to change stays visible until handled."""

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        PARTLY = "partly", _("Partly satisfied")
        WANTS_CHANGE = "wants_change", _("Wishes to change support person")

    assignment = models.ForeignKey(
        "Assignment",
        models.PROTECT,
        related_name="satisfaction_follow_ups",
        verbose_name=_("assignment"),
    )
    on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction follow-up")
        verbose_name_plural = _("satisfaction follow-ups")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.on:%Y-%m-%d}"

    @property
    def is_open_wish(self) -> bool:
        return self.outcome == self.Outcome.WANTS_CHANGE and self.handled_at is None


class DutyCheckQuerySet(models.QuerySet["DutyCheck"]):
    def visible_to(self, user: User | AnonymousUser) -> DutyCheckQuerySet:
        if roles.is_administrator(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(client_scope(user, "assignment__client__"))

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


class FlagQuerySet(models.QuerySet["Flag"]):
    def visible_to(self, user: User | AnonymousUser) -> FlagQuerySet:
        if roles.is_administrator(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(client_scope(user, "client__"))

    def open(self) -> FlagQuerySet:
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """Something a background check found wrong. The kind says what the target id points at
    (a client, a request, a consent ...); every target hangs on a client, which gives access."""

    class Kind(models.TextChoices):
        PLAN_OVERDUE = "plan_overdue", _("Implementation plan overdue")
        DOCUMENTATION_MISSING = "documentation_missing", _("Monthly documentation missing")
        REQUEST_LATE = "request_late", _("Request past its target")
        REQUEST_DUE_SOON = "request_due_soon", _("Request due soon")
        NO_SUPPORT_PERSON = "no_support_person", _("Client without support person")
        CONSENT_REVIEW = "consent_review", _("Consent past review or withdrawn")
        RISK_FOLLOW_UP = "risk_follow_up", _("Risk follow-up overdue")
        DEVIATION_OPEN = "deviation_open", _("Deviation open too long")
        CARE_ENDED = "care_ended", _("Assignment open after compulsory care ended")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    client = models.ForeignKey(
        Client, models.CASCADE, related_name="flags", verbose_name=_("client")
    )
    target_id = models.BigIntegerField(_("target"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id"],
                condition=Q(resolved_at__isnull=True),
                name="flag_one_open_per_kind_and_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["client", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="flag_open_by_client",
            ),
            # The flags page lists the open flags oldest first, a page at a time (issue #8).
            models.Index(
                fields=["raised_at", "id"],
                condition=Q(resolved_at__isnull=True),
                name="flag_open_by_age",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class DigestLog(models.Model):
    """One daily digest of flags to one person. The row is the claim: it is written before
    the mail is sent, and (user, day) is unique, so two workers never both send it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="digest_logs",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    as_of = models.DateTimeField(
        _("as of"), help_text=_("Flags raised after this time are new in the next digest.")
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    new_flags = models.PositiveIntegerField(_("new flags"), default=0)

    class Meta:
        verbose_name = _("flag digest")
        verbose_name_plural = _("flag digests")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digestlog_one_per_user_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"
