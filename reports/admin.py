"""Admin for tertial reports. A final report is an official document: frozen, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ReportBatch, TertialReport


@admin.register(TertialReport)
class TertialReportAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "programme",
        "year",
        "tertial",
        "status",
        "updated_at",
        "finalised_at",
    ]
    list_filter = ["status", "programme", "year", "tertial"]
    search_fields = ["programme__name"]
    list_select_related = ["programme"]
    # Making a report final stores its figures; that is the report screen's work, not a
    # field to flip here, so the status and the stored figures are shown, not edited.
    readonly_fields = [
        "status",
        "figures",
        "finalised_at",
        "finalised_by",
        "created_at",
        "updated_at",
    ]

    def has_change_permission(self, request: HttpRequest, obj: TertialReport | None = None) -> bool:
        if obj is not None and obj.is_final:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: TertialReport | None = None) -> bool:
        if obj is not None and obj.is_final:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportBatch)
class ReportBatchAdmin(admin.ModelAdmin):
    """Batches are ordered and produced from the report screens; here they are only shown."""

    list_display = ["__str__", "created_by", "created_at", "status", "done", "total"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "created_by",
        "created_at",
        "items",
        "status",
        "total",
        "done",
        "file",
        "error",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportBatch | None = None) -> bool:
        return False
