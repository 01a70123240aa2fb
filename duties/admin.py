from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from clients.admin import FoldedSearchAdmin

from .models import DutyCheck, DutyTemplate


@admin.register(DutyTemplate)
class DutyTemplateAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "programme",
        "code",
        "interval_months",
        "per_calendar_month",
        "grace_days",
        "order",
        "is_active",
    ]
    list_display_links = ["title"]
    list_editable = ["order", "is_active"]
    list_filter = ["programme", "is_active", "code"]
    search_fields = ["title", "description"]
    list_select_related = ["programme"]
    ordering = ["programme", "order", "id"]


@admin.register(DutyCheck)
class DutyCheckAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    list_display = ["done_on", "template", "assignment", "by", "withdrawn_at"]
    list_filter = ["template__programme", "template"]
    search_fields = [
        "assignment__client__search_name",
        "assignment__support_person__search_name",
        "note",
    ]
    list_select_related = [
        "template",
        "assignment__client",
        "assignment__support_person",
        "by",
    ]
    date_hierarchy = "done_on"
    autocomplete_fields = ["assignment", "template", "by", "withdrawn_by"]

    def has_delete_permission(self, request: HttpRequest, obj: DutyCheck | None = None) -> bool:
        # A tick is withdrawn, not deleted: the checklist's history stays.
        return False

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [
            (ReadLogEntry.Subject.CLIENT, obj.assignment.client),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.assignment.support_person),
        ]
