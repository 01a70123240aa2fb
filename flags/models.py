"""Flags (what a background check found wrong) and the log of daily digests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, client_scope, managed_client_scope
from stodperson.access import ScopedQuerySet
from supportpersons.models import SupportPerson

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class FlagQuerySet(ScopedQuerySet["Flag"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """Flags follow the client: read by whoever sees it, followed up by the unit manager
        (domain.md, "Users"). No screen changes a flag today: the checks resolve them. A
        flag on a support person alone (client None: a background check running out) is
        the office's: only administrators see it, as the client scope never matches it."""
        if write:
            return managed_client_scope(user, "client__")
        return client_scope(user, "client__")

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
        DEVIATION_UNINVESTIGATED = "deviation_uninvestigated", _("Deviation not investigated")
        IVO_REPORT_LATE = "ivo_report_late", _("Serious lex Sarah case not reported to IVO")
        MEASURE_WITHOUT_CONSENT = "measure_without_consent", _("Measure without consent")
        BACKGROUND_CHECK = "background_check", _("Background check running out")
        NO_CONTACT = "no_contact", _("No contact for too long")
        REPORT_LATE = "report_late", _("Monthly report not submitted")
        EXTENSION_ENDING = "extension_ending", _("Extension after compulsory care ends soon")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # A flag hangs on a client, or, for what concerns the person alone (a background check
    # running out), on a support person.
    client = models.ForeignKey(
        Client,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("client"),
    )
    support_person = models.ForeignKey(
        SupportPerson,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("support person"),
    )
    target_id = models.BigIntegerField(_("target"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        # The table from before the app was split out of assignments (issue #12).
        db_table = "assignments_flag"
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False) | Q(support_person__isnull=False),
                name="flag_hangs_on_client_or_person",
                violation_error_message=_("A flag concerns a client or a support person."),
            ),
            models.UniqueConstraint(
                fields=["kind", "target_id"],
                condition=Q(resolved_at__isnull=True),
                name="flag_one_open_per_kind_and_target",
                violation_error_message=_("Another flag of this kind is open for the same target."),
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
        # The table from before the app was split out of assignments (issue #12).
        db_table = "assignments_digestlog"
        verbose_name = _("flag digest")
        verbose_name_plural = _("flag digests")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                name="digestlog_one_per_user_and_day",
                violation_error_message=_("The user already has a digest for that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class BackgroundCheckNotice(models.Model):
    """One warning mailed to a volunteer that their background check runs out (60, 30 or 7
    days before, or 0: it has run out). The row is the claim: written before the mail and
    unique per check and threshold, so each threshold is mailed once, by one worker."""

    support_person = models.ForeignKey(
        SupportPerson,
        models.CASCADE,
        related_name="background_check_notices",
        verbose_name=_("support person"),
    )
    expires_on = models.DateField(_("check runs out"))
    threshold = models.PositiveSmallIntegerField(_("days before it runs out"))
    created_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("background check notice")
        verbose_name_plural = _("background check notices")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["support_person", "expires_on", "threshold"],
                name="backgroundchecknotice_once_per_threshold",
                violation_error_message=_("This warning has already been sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expires_on:%Y-%m-%d} ({self.threshold})"
