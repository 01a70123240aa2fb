"""The Django admin of the volunteers' undertaking, background checks and invitations
(issue 16). Administrators write the undertaking's versions here; acceptances and
invitations are written by the app and only shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from clients.admin import FoldedSearchAdmin

from .models import BackgroundCheck, Invitation, UndertakingAcceptance, UndertakingVersion


class BackgroundCheckInline(admin.TabularInline):
    model = BackgroundCheck
    extra = 0
    fields = ["checked_on", "outcome", "by", "created_at"]
    autocomplete_fields = ["by"]
    readonly_fields = ["created_at"]


class UndertakingAcceptanceInline(admin.TabularInline):
    model = UndertakingAcceptance
    extra = 0
    fields = ["version", "accepted_at", "user"]
    readonly_fields = ["version", "accepted_at", "user"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _Shown(admin.ModelAdmin):  # type: ignore[type-arg]
    """Written by the app: shown, never added or changed here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UndertakingVersion)
class UndertakingVersionAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "number", "valid_from", "created_at"]
    list_filter = ["programme"]
    ordering = ["programme", "-number"]


@admin.register(UndertakingAcceptance)
class UndertakingAcceptanceAdmin(ReadLoggedAdmin, FoldedSearchAdmin, _Shown):
    list_display = ["support_person", "version", "accepted_at", "user"]
    list_filter = ["version__programme", "version"]
    search_fields = ["support_person__search_name"]
    list_select_related = ["support_person", "version__programme", "user"]

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]


@admin.register(BackgroundCheck)
class BackgroundCheckAdmin(ReadLoggedAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["support_person", "checked_on", "outcome", "by"]
    list_filter = ["outcome", "support_person__programme"]
    search_fields = ["support_person__search_name"]
    list_select_related = ["support_person", "by"]
    autocomplete_fields = ["support_person", "by"]
    date_hierarchy = "checked_on"

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]


@admin.register(Invitation)
class InvitationAdmin(ReadLoggedAdmin, FoldedSearchAdmin, _Shown):
    list_display = ["support_person", "created_at", "expires_at", "used_at", "revoked_at", "by"]
    search_fields = ["support_person__search_name"]
    list_select_related = ["support_person", "by"]
    exclude = ["token_hash"]

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]
