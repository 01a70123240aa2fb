"""Requests, assignments, changes of support person, duties and flags."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Client, Gender, Language, managed_client_scope
from stodperson import workdays
from stodperson.access import ScopedQuerySet
from stodperson.dates import active_on
from supportpersons.models import SupportPerson

from .clock import RequestClock, request_clock

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class SupportRequestQuerySet(ScopedQuerySet["SupportRequest"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """A unit manager reads and answers the requests of their units' clients."""
        return managed_client_scope(user, "client__")

    def open(self) -> SupportRequestQuerySet:
        return self.filter(withdrawn_at__isnull=True, assignment__isnull=True)

    def closed(self) -> SupportRequestQuerySet:
        """Withdrawn, or answered by an appointment: what open() leaves out."""
        return self.filter(Q(withdrawn_at__isnull=False) | Q(assignment__isnull=False))

    def for_client_name(self, text: str) -> SupportRequestQuerySet:
        """The requests of the clients whose name matches (Client.objects.search: a
        protected identity is never found by name)."""
        return self.filter(client__in=Client.objects.search(text).values("pk"))

    def with_clock(self) -> SupportRequestQuerySet:
        """What SupportRequest.clock() reads, for any number of requests in two queries: the
        programme's target and the answer joined, the pauses prefetched."""
        return self.select_related("client__unit__programme", "assignment").prefetch_related(
            "pauses"
        )

    def only_clock(self) -> SupportRequestQuerySet:
        """with_clock() and no other column: the daily check reads every open request."""
        return self.with_clock().only(
            "id",
            "received_at",
            "withdrawn_at",
            "delay_excused",
            "client__id",
            "client__unit__id",
            "client__unit__programme__id",
            "client__unit__programme__request_target_working_days",
            "assignment__id",
            "assignment__started_on",
        )


class WithdrawalKind(models.TextChoices):
    """The outcomes of a request beside "appointed" (domain.md, "The end": withdrawn by the
    patient, declined, or care ended first); each is recorded with its reason."""

    WITHDRAWN_BY_PATIENT = "withdrawn_by_patient", _("Withdrawn by the patient")
    DECLINED_AFTER_OFFER = "declined_after_offer", _("Declined after an offer")
    CARE_ENDED = "care_ended", _("Care ended before appointment")
    OTHER = "other", _("Withdrawn for another reason")


class SupportRequest(models.Model):
    """A request (begäran) for a support person; the clock of domain.md rule 5 runs from it."""

    WithdrawalKind = WithdrawalKind

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
    # How a request ended without an appointment (domain.md, "The end"); blank while open
    # or answered. "withdrawn" is the plain withdrawal, and the kind of those from before.
    withdrawal_kind = models.CharField(
        _("outcome"), max_length=30, choices=WithdrawalKind.choices, blank=True
    )
    # Blank on requests withdrawn before the reason was asked for.
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
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
    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=False) | Q(withdrawal_kind=""),
                name="supportrequest_outcome_only_when_withdrawn",
                violation_error_message=_("Only a withdrawn request has this outcome."),
            ),
        ]

    def __str__(self) -> str:
        return _("Request %(id)s") % {"id": self.pk}

    @property
    def received_on(self) -> date:
        return timezone.localdate(self.received_at)

    @property
    def outcome_kind(self) -> str:
        """How a withdrawn request ended (a plain withdrawal where none was recorded); blank
        while it is open or answered."""
        if self.withdrawn_at is None:
            return ""
        return self.withdrawal_kind or WithdrawalKind.OTHER

    @property
    def outcome_label(self) -> str:
        kind = self.outcome_kind
        return str(WithdrawalKind(kind).label) if kind else ""

    @property
    def withdrawn_on(self) -> date | None:
        return timezone.localdate(self.withdrawn_at) if self.withdrawn_at else None

    @property
    def answered_on(self) -> date | None:
        """The day of the appointment that answered the request (Assignment.started_on); a
        query of its own unless the assignment was joined (with_clock())."""
        try:
            return self.assignment.started_on
        except ObjectDoesNotExist:
            return None

    @property
    def target_working_days(self) -> int:
        """The programme's own target (domain.md rule 5)."""
        return self.client.unit.programme.request_target_working_days

    def pause_spans(self) -> list[workdays.Pause]:
        """The pauses as (from, resumed) dates; uses prefetched pauses when there are any."""
        return [(p.started_on, p.ended_on) for p in self.pauses.all()]

    def clock(self, today: date) -> RequestClock:
        """Where the request stands on `today`. A list reads it in a fixed number of queries
        through SupportRequestQuerySet.with_clock()."""
        return request_clock(
            received_on=self.received_on,
            pauses=self.pause_spans(),
            target=self.target_working_days,
            today=today,
            answered_on=self.answered_on,
            withdrawn_on=self.withdrawn_on,
            delay_excused=self.delay_excused,
        )

    def clock_if_answered_on(self, day: date) -> RequestClock:
        """The clock as it will stand when the request is answered on `day` (an open pause
        ends that day): is the appointment late, and does it need a reason?"""
        return request_clock(
            received_on=self.received_on,
            pauses=self.pause_spans(),
            target=self.target_working_days,
            today=day,
            answered_on=day,
            delay_excused=self.delay_excused,
        )

    def deadline(self, target: int) -> date | None:
        """The deadline under `target` working days, whatever the programme's own target."""
        return request_clock(
            received_on=self.received_on,
            pauses=self.pause_spans(),
            target=target,
            today=self.received_on,
        ).deadline


class RequestPause(models.Model):
    """Time when the patient could not take a position; it does not count against the target."""

    request = models.ForeignKey(
        SupportRequest, models.CASCADE, related_name="pauses", verbose_name=_("request")
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


class AssignmentQuerySet(ScopedQuerySet["Assignment"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """A unit manager reads and changes (releases, follows up) the assignments of their
        units' clients; a support person reads their own while it runs. Ticking the
        checklist is the duty check's write scope (duties.models.tick_scope)."""
        managed = managed_client_scope(user, "client__")
        if write:
            return managed
        return managed | Q(support_person__user=user, ended_on__isnull=True)

    def active(self) -> AssignmentQuerySet:
        return self.filter(ended_on__isnull=True)

    def active_on(self, day: date) -> AssignmentQuerySet:
        return self.filter(active_on(day))


class Assignment(models.Model):
    """An assignment (uppdrag): a support person for a client, from appointment (förordnande)
    to release (entledigande). The history is never deleted."""

    class EndReason(models.TextChoices):
        CARE_ENDED = "care_ended", _("Care or service ended")
        CLIENT_WISH = "client_wish", _("The client's wish")
        SUPPORT_PERSON_WISH = "support_person_wish", _("The support person's wish")
        CHANGE = "change", _("Change of support person")
        SUPPORT_PERSON_INACTIVE = "support_person_inactive", _("Support person deactivated")
        CLIENT_MOVED = "client_moved", _("The client moved to another unit")
        # LPT 30 §, LRV 26 §: the assignment continued after compulsory care ended, at the
        # patient's and the support person's wish, for at most four weeks.
        EXTENSION_ENDED = "extension_ended", _("Extension after compulsory care ended")
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
        SupportRequest,
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


# The volunteer's contacts and monthly reports (issue #16), in their own module.
# The end of compulsory care lives in its own module; importing it here registers it.
from .care_end_models import CareEnd as CareEnd  # noqa: E402
from .contacts import MonthlyReport as MonthlyReport  # noqa: E402
from .contacts import SupportContact as SupportContact  # noqa: E402
from .decision_models import Decision  # noqa: E402, F401 (a model of this app)

# The offers live in their own module; importing them here registers them with the app and
# keeps `from assignments.models import Offer` working.
from .offer_models import Offer as Offer  # noqa: E402
