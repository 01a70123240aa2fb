"""Admin for the volunteers' contacts and monthly reports: to read, with the history and the
read log. They are written on the volunteer's screens and reviewed in the office's queue
(contact_services.py), where an approved month is frozen; none is changed here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from clients.admin import FoldedSearchAdmin

from .contacts import MonthlyReport, SupportContact


class ReadOnlyAdmin(ReadLoggedAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("client"), ordering="assignment__client__search_name")
    def client_name(self, obj: Any) -> str:
        return str(obj.assignment.client.display_name)

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [
            (ReadLogEntry.Subject.CLIENT, obj.assignment.client),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.assignment.support_person),
        ]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["month", "client_name", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "assignment__client__unit__programme"]
    search_fields = ["assignment__client__search_name", "assignment__support_person__search_name"]
    list_select_related = ["assignment__client", "assignment__support_person"]
    date_hierarchy = "month"


@admin.register(SupportContact)
class SupportContactAdmin(ReadOnlyAdmin):
    list_display = ["on", "client_name", "kind", "duration_minutes", "kilometres", "expenses"]
    list_filter = ["kind", "assignment__client__unit__programme"]
    search_fields = ["assignment__client__search_name", "assignment__support_person__search_name"]
    list_select_related = ["assignment__client", "assignment__support_person"]
    date_hierarchy = "on"
    exclude = ["receipt"]
