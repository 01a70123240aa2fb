"""The support-person pool, its lifecycle, training events and the collaboration log."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Gender, Language, Locality, Programme, ProtectedIdentity, Unit
from stodperson import roles
from stodperson.text import fold

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class SupportPersonQuerySet(models.QuerySet["SupportPerson"]):
    def visible_to(self, user: User | AnonymousUser) -> SupportPersonQuerySet:
        """Administrators see the pool; a unit manager the pool of their units' programmes
        (they choose from it); a support person only themselves."""
        if roles.is_administrator(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(programme__in=Programme.objects.filter(units__managers=user)) | Q(user=user)
        )

    def active_on(self, day: date) -> SupportPersonQuerySet:
        """Active on a date, from the dated lifecycle (recruited, deactivated)."""
        return self.filter(
            Q(recruited_on__lte=day),
            Q(deactivated_on__isnull=True) | Q(deactivated_on__gt=day),
        )

    def search(self, text: str) -> SupportPersonQuerySet:
        query = self
        for word in fold(text).split():
            query = query.filter(search_name__contains=word)
        return query


class SupportPerson(models.Model):
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
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    search_name = models.CharField(max_length=201, editable=False, db_index=True)
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
    protected_identity = models.CharField(
        _("protected identity"),
        max_length=30,
        choices=ProtectedIdentity.choices,
        default=ProtectedIdentity.NONE,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT
    )
    recruited_on = models.DateField(
        _("recruited"), null=True, blank=True, help_text=_("The day the person became active.")
    )
    deactivated_on = models.DateField(_("deactivated"), null=True, blank=True)
    deactivation_reason = models.CharField(_("reason for deactivation"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (clients)"), default=3, help_text=_("How many clients the person can take.")
    )

    history = HistoricalRecords(excluded_fields=["search_name"])
    objects = SupportPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("support person")
        verbose_name_plural = _("support persons")
        ordering = ["last_name", "first_name", "id"]
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
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived column, so that search is one indexed lookup on every database.
        self.search_name = fold(f"{self.first_name} {self.last_name}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protected_identity != ProtectedIdentity.NONE

    @property
    def display_name(self) -> str:
        if self.is_protected:
            return _("Protected identity (no. %(id)s)") % {"id": self.pk}
        return self.full_name

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


class Registration(models.Model):
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

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "support_person"], name="registration_unique_person"
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
