"""The read log: who opened which client's or support person's record, when, from which page
(OSL 26 kap. and GDPR art. 32: need-to-know access is followed up). Changes are in each
model's history (django-simple-history); this log holds the reads.

The log is append-only: the application can add rows but never change or delete them. The
ORM refuses, and on PostgreSQL a trigger refuses too (migration 0002)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadLogQuerySet(models.QuerySet["ReadLogEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("The read log cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("The read log cannot be deleted.")


class ReadLogEntry(models.Model):
    class Subject(models.TextChoices):
        CLIENT = "client", _("Client")
        SUPPORT_PERSON = "support_person", _("Support person")

    class Action(models.TextChoices):
        READ = "read", _("Read")
        EXPORT = "export", _("Export")
        EXTRACT = "extract", _("Register extract")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150)
    subject = models.CharField(_("record type"), max_length=20, choices=Subject.choices)
    subject_id = models.BigIntegerField(_("record"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default="read")
    page = models.CharField(_("page"), max_length=300)
    protected = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("The record had a protected identity when it was read."),
    )

    objects = ReadLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject", "subject_id", "at"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.subject} {self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionDenied("The read log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("The read log cannot be deleted.")


class RetentionRun(models.Model):
    """One run of retention (gallring), dry or applied: when, as of which cutoff, how many
    records of each kind, and who started it (empty for the scheduled run)."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    dry_run = models.BooleanField(_("dry run"))
    cutoff = models.DateField(_("ended before"))
    counts = models.JSONField(_("counts"), default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'dry run' if self.dry_run else 'applied'}"
