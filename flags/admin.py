from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from clients.admin import FoldedSearchAdmin

from .models import BackgroundCheckNotice, DigestLog, Flag


class FlagStatusFilter(admin.SimpleListFilter):
    title = _("flag status")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("open", _("Open")), ("resolved", _("Resolved"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class FlagAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        # Kind and target are read-only, so Django leaves flag_one_open_per_kind_and_target
        # unchecked; reopening a flag while another is open would be an IntegrityError.
        cleaned = super().clean() or {}
        flag = self.instance
        if (
            flag.pk is not None
            and "resolved_at" in cleaned
            and cleaned["resolved_at"] is None
            and Flag.objects.open()
            .filter(kind=flag.kind, target_id=flag.target_id)
            .exclude(pk=flag.pk)
            .exists()
        ):
            raise ValidationError(
                _("Another flag of this kind is open for the same target."), code="flag_open"
            )
        return cleaned


@admin.register(Flag)
class FlagAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    """Flags are raised by the background checks: what was found, on what and when is theirs."""

    form = FlagAdminForm
    list_display = [
        "kind",
        "client_name",
        "support_person_name",
        "target_id",
        "detail",
        "raised_at",
        "notified_at",
        "resolved_at",
        "is_open",
    ]
    list_filter = [FlagStatusFilter, "kind", "client__unit__programme"]
    search_fields = ["client__search_name", "detail"]
    list_select_related = ["client", "support_person"]
    date_hierarchy = "raised_at"
    readonly_fields = ["kind", "client", "support_person", "target_id", "raised_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("client"), ordering="client__search_name")
    def client_name(self, obj: Flag) -> str:
        return obj.client.display_name if obj.client else "–"

    @admin.display(description=_("support person"), ordering="support_person__search_name")
    def support_person_name(self, obj: Flag) -> str:
        # A flag on a support person alone (a background check running out, issue 16).
        return obj.support_person.display_name if obj.support_person else "–"

    @admin.display(description=_("open"), boolean=True, ordering="resolved_at")
    def is_open(self, obj: Flag) -> bool:
        return obj.is_open

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        shown: list[tuple[str, Any]] = []
        if obj.client:
            shown.append((ReadLogEntry.Subject.CLIENT, obj.client))
        if obj.support_person:
            shown.append((ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person))
        return shown


class DigestSentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("yes", _("Sent")), ("no", _("Claimed, not sent"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
        return queryset


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    """The daily digest's log, written by the job: a row is the claim that stops a second
    worker sending the same digest, so it is shown, never added, edited or removed here."""

    list_display = ["day", "user", "as_of", "sent_at", "new_flags"]
    list_filter = [DigestSentFilter]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DigestLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DigestLog | None = None) -> bool:
        return False


@admin.register(BackgroundCheckNotice)
class BackgroundCheckNoticeAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    """The volunteers' background check warnings, written by the job: a row is the claim that
    stops a second worker mailing the same warning (flags/volunteer_checks.py)."""

    list_display = ["support_person", "expires_on", "threshold", "created_at", "sent_at"]
    list_filter = ["threshold"]
    search_fields = ["support_person__search_name"]
    list_select_related = ["support_person"]
    date_hierarchy = "expires_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: BackgroundCheckNotice | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: BackgroundCheckNotice | None = None
    ) -> bool:
        return False

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]
