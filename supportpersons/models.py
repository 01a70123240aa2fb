"""The support-person pool, its lifecycle, training events and the collaboration log."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import (
    Gender,
    Language,
    Locality,
    Person,
    PersonQuerySet,
    Programme,
    Unit,
    assignment_model,
)
from stodperson.access import NOBODY, ScopedQuerySet
from stodperson.dates import active_on

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class SupportPersonQuerySet(PersonQuerySet["SupportPerson"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """Administrators run the pool. A unit manager reads the support persons of their
        units, and whoever has a client there now (they see them on the client's page); a
        support person reads only themselves. A patient committee's volunteers belong to
        no unit but to the committee's pool (domain.md, programme B), so a manager of one of
        its offices reads the programme's pool. A unit manager acts on (pauses,
        reactivates, deactivates) the support persons of their units: the person's page
        asks this same rule (is_managed_by) before it offers the buttons."""
        units = Unit.objects.filter(managers=user)
        if write:
            return Q(unit__in=units)
        committees = Programme.objects.filter(
            kind=Programme.Kind.PATIENT_COMMITTEE, units__managers=user
        )
        people = SupportPerson.objects.order_by().values("pk")
        # Through the model that assignments declares: the pool stands below assignments,
        # so it reaches the model through the relation and never imports it.
        with_clients_here = (
            assignment_model()
            ._default_manager.filter(ended_on__isnull=True, client__unit__in=units)
            .values("support_person_id")
            .order_by()
        )
        # One IN over a UNION, as client_scope: the planner reads the few rows by index.
        return Q(
            pk__in=people.filter(unit__in=units).union(
                with_clients_here,
                people.filter(programme__in=committees),
                people.filter(user=user),
            )
        )

    def with_load(self) -> SupportPersonQuerySet:
        """Each person's `load`: the clients they have now (their active assignments).

        A count subquery per row, not a join and GROUP BY over the pool: the database takes
        one page from an index and counts the load of those rows only (issue #8). The
        assignment model is reached through the relation the assignments app declares
        (clients.models.assignment_model), as the pool stands below it."""
        load = (
            assignment_model()
            ._default_manager.filter(support_person=OuterRef("pk"), ended_on__isnull=True)
            .order_by()
            .values("support_person")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(load=Coalesce(Subquery(load, output_field=IntegerField()), 0))

    def active_on(self, day: date) -> SupportPersonQuerySet:
        """Active on a date, from the dated lifecycle (recruited, deactivated)."""
        return self.filter(active_on(day, start="recruited_on", end="deactivated_on"))


class SupportPerson(Person):
    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        INACTIVE = "inactive", _("Inactive")

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="support_persons", verbose_name=_("programme")
    )
    unit = models.ForeignKey(
        Unit,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_persons",
        verbose_name=_("unit"),
        help_text=_("In personal assistance: the unit the assistant works in."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_person",
        verbose_name=_("user account"),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    locality = models.ForeignKey(
        Locality, models.PROTECT, related_name="support_persons", verbose_name=_("locality")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="support_persons", verbose_name=_("languages")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT
    )
    recruited_on = models.DateField(
        _("recruited"), null=True, blank=True, help_text=_("The day the person became active.")
    )
    deactivated_on = models.DateField(_("deactivated"), null=True, blank=True)
    deactivation_reason = models.CharField(_("reason for deactivation"), max_length=200, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (clients)"), default=3, help_text=_("How many clients the person can take.")
    )
    # The version an edit form was filled in against (stodperson/concurrency.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])
    objects = SupportPersonQuerySet.as_manager()

    class Meta(Person.Meta):
        verbose_name = _("support person")
        verbose_name_plural = _("support persons")
        constraints = [
            models.CheckConstraint(
                condition=Q(deactivated_on__isnull=True)
                | Q(recruited_on__isnull=True)
                | Q(deactivated_on__gte=models.F("recruited_on")),
                name="supportperson_deactivated_after_recruited",
                violation_error_message=_("Deactivation cannot come before recruitment."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="supportperson_birth_year_plausible",
                violation_error_message=_("Enter a birth year between 1900 and 2100."),
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"]),
            # The pool list's order: a page is read from the index (issue #8).
            models.Index(fields=["search_name", "id"], name="supportperson_by_name"),
        ]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def is_active_on(self, day: date) -> bool:
        return (
            self.recruited_on is not None
            and self.recruited_on <= day
            and (self.deactivated_on is None or self.deactivated_on > day)
        )


class StatusChange(models.Model):
    """One dated step in a support person's lifecycle, so the pool can be counted as of any
    day (domain.md: flows over a period and stocks on a date are different things)."""

    support_person = models.ForeignKey(
        SupportPerson,
        models.CASCADE,
        related_name="status_changes",
        verbose_name=_("support person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=SupportPerson.Status.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on:%Y-%m-%d}"


class TrainingEventQuerySet(ScopedQuerySet["TrainingEvent"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """Training events are the administrators' work (domain.md, "Users")."""
        return NOBODY


class TrainingEvent(models.Model):
    class Kind(models.TextChoices):
        EVENING_MEETING = "evening_meeting", _("Evening meeting")
        INFORMATION_EVENING = "information_evening", _("Information evening")
        TRAINING_WEEKEND = "training_weekend", _("Training weekend")
        INTRODUCTION = "introduction", _("Introduction training")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="training_events", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    locality = models.ForeignKey(
        Locality, models.PROTECT, related_name="training_events", verbose_name=_("locality")
    )
    on = models.DateField(_("date"))
    min_registrations = models.PositiveSmallIntegerField(_("minimum registrations"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancellation"), max_length=200, blank=True)
    participants: models.ManyToManyField[SupportPerson, Registration] = models.ManyToManyField(
        SupportPerson,
        through="Registration",
        related_name="training_events",
        verbose_name=_("participants"),
    )

    objects = TrainingEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="trainingevent_cancelled_has_reason",
                violation_error_message=_("A cancelled event needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.locality}, {self.on:%Y-%m-%d})"


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def current(self) -> RegistrationQuerySet:
        """Registrations not removed: the ones that count as registered and attended."""
        return self.filter(removed_at__isnull=True)


class Registration(models.Model):
    """A removed registration is kept with when and by whom it was removed (issue 14); it
    no longer counts as registered (RegistrationQuerySet.current)."""

    event = models.ForeignKey(
        TrainingEvent, models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    support_person = models.ForeignKey(
        SupportPerson,
        models.CASCADE,
        related_name="registrations",
        verbose_name=_("support person"),
    )
    registered_on = models.DateField(_("registered"))
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "support_person"],
                name="registration_unique_person",
                violation_error_message=_(
                    "The support person is already registered for the event."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.support_person} – {self.event}"


class CollaborationActivity(models.Model):
    """Samverkan: a forum the office took part in (the seed report's collaboration list)."""

    programme = models.ForeignKey(
        Programme,
        models.PROTECT,
        related_name="collaboration_activities",
        verbose_name=_("programme"),
    )
    on = models.DateField(_("date"))
    forum = models.CharField(_("forum"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("collaboration activity")
        verbose_name_plural = _("collaboration activities")
        ordering = ["-on", "id"]

    def __str__(self) -> str:
        return f"{self.forum} {self.on:%Y-%m-%d}"


class RecruitmentStep(models.Model):
    """One dated step of recruitment into the pool. The background check (utdrag ur
    belastningsregistret) is kept as a date and an outcome only: the register has no field
    for the extract itself, nor for what it says (GDPR art. 10, data minimisation)."""

    class Step(models.TextChoices):
        INTEREST = "interest", _("Expression of interest")
        BACKGROUND_CHECK = "background_check", _("Background check")
        INTERVIEW = "interview", _("Interview")
        APPROVED = "approved", _("Approved")
        INTRODUCTION = "introduction", _("Introduction training attended")
        ACTIVE = "active", _("Active")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")

    support_person = models.ForeignKey(
        SupportPerson,
        models.CASCADE,
        related_name="recruitment_steps",
        verbose_name=_("support person"),
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment step")
        verbose_name_plural = _("recruitment steps")
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["support_person", "step"],
                name="recruitmentstep_one_per_person_and_step",
                violation_error_message=_("That step is already recorded for the person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.on:%Y-%m-%d}"

    @property
    def failed(self) -> bool:
        return self.outcome == self.Outcome.FAILED


STEP_ORDER = [step for step, _label in RecruitmentStep.Step.choices]


def status_on(day: date) -> models.Expression:
    """A person's status on `day` from the dated history: the latest StatusChange on or
    before it; for a person without one, their recruited/deactivated dates. Unlike
    `active_on`, this is right for a person who was deactivated and later reactivated
    (recruited_on stays the first activation; the gap is only in the StatusChange rows)."""
    latest = (
        StatusChange.objects.filter(support_person=models.OuterRef("pk"), on__lte=day)
        .order_by("-on", "-id")
        .values("status")[:1]
    )
    by_dates = models.Case(
        models.When(
            Q(recruited_on__lte=day) & (Q(deactivated_on__isnull=True) | Q(deactivated_on__gt=day)),
            then=models.Value(SupportPerson.Status.ACTIVE),
        ),
        default=models.Value(""),
        output_field=models.CharField(),
    )
    from django.db.models.functions import Coalesce

    return Coalesce(models.Subquery(latest, output_field=models.CharField()), by_dates)


def in_pool_on(day: date, queryset: SupportPersonQuerySet | None = None) -> SupportPersonQuerySet:
    """Persons in the pool (active or paused) on `day`, by the dated history (status_on)."""
    base = queryset if queryset is not None else SupportPerson.objects.all()
    return base.annotate(status_then=status_on(day)).filter(
        status_then__in=[SupportPerson.Status.ACTIVE, SupportPerson.Status.PAUSED]
    )


# --- The patient committee's volunteers: undertaking, background checks, invitations ----


class UndertakingVersion(models.Model):
    """One version of a programme's confidentiality undertaking (tystnadsförbindelse). The
    current version is the latest that is valid; a new version needs a new acceptance."""

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="undertakings", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confidentiality undertaking")
        verbose_name_plural = _("confidentiality undertakings")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="undertaking_one_number_per_programme",
                violation_error_message=_("The programme already has a version with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.number}"


class UndertakingAcceptance(models.Model):
    """Who accepted which version of the undertaking, and when."""

    support_person = models.ForeignKey(
        SupportPerson,
        models.CASCADE,
        related_name="undertaking_acceptances",
        verbose_name=_("support person"),
    )
    version = models.ForeignKey(
        UndertakingVersion, models.PROTECT, related_name="acceptances", verbose_name=_("version")
    )
    accepted_at = models.DateTimeField(_("accepted"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("accepted undertaking")
        verbose_name_plural = _("accepted undertakings")
        ordering = ["-accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["support_person", "version"],
                name="undertaking_accepted_once",
                violation_error_message=_("The person has already accepted this version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.accepted_at:%Y-%m-%d}"


class BackgroundCheck(models.Model):
    """A renewed background check (utdrag ur belastningsregistret): a date and an outcome,
    never the extract nor what it says (GDPR art. 10). The first check is the recruitment
    step; a renewal is a row here, so the step stays one per person."""

    support_person = models.ForeignKey(
        SupportPerson,
        models.CASCADE,
        related_name="background_checks",
        verbose_name=_("support person"),
    )
    checked_on = models.DateField(_("date of the extract"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=RecruitmentStep.Outcome.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("background check")
        verbose_name_plural = _("background checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.checked_on:%Y-%m-%d} {self.get_outcome_display()}"


class Invitation(models.Model):
    """A one-time link for a volunteer to set a password. Only a hash of the token is kept;
    the link works once, until it expires or a newer invitation replaces it."""

    support_person = models.ForeignKey(
        SupportPerson, models.CASCADE, related_name="invitations", verbose_name=_("support person")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


from .delegation import DelegationItem, Matter  # noqa: E402, F401 (models of this app)
