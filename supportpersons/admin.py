"""Admin for the support-person pool, training events and the collaboration log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from clients.admin import FoldedSearchAdmin, ProtectedIdentityAdmin

from .models import (
    CollaborationActivity,
    DelegationItem,
    RecruitmentStep,
    Registration,
    StatusChange,
    SupportPerson,
    TrainingEvent,
)
from .volunteer_admin import BackgroundCheckInline, UndertakingAcceptanceInline


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    autocomplete_fields = ["by"]
    readonly_fields = ["created_at"]


class RecruitmentStepInline(admin.TabularInline):
    model = RecruitmentStep
    extra = 0
    autocomplete_fields = ["by"]
    readonly_fields = ["created_at"]


@admin.register(SupportPerson)
class SupportPersonAdmin(ProtectedIdentityAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
    identifying_fields = ("first_name", "last_name", "email", "phone", "birth_year")
    log_subject = "support_person"
    list_display = [
        "display_name",
        "programme",
        "unit",
        "locality",
        "gender",
        "status",
        "recruited_on",
        "deactivated_on",
        "caseload",
    ]
    list_filter = ["programme", "status", "gender", "locality", "protected_identity"]
    search_fields = ["search_name", "email"]
    list_select_related = ["programme", "unit", "locality"]
    date_hierarchy = "recruited_on"
    autocomplete_fields = ["user", "unit", "languages"]
    inlines = [
        StatusChangeInline,
        RecruitmentStepInline,
        BackgroundCheckInline,
        UndertakingAcceptanceInline,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupportPerson]:
        return super().get_queryset(request).with_load()  # type: ignore[attr-defined]

    @admin.display(description=_("name"))
    def display_name(self, obj: SupportPerson) -> str:
        return obj.display_name

    @admin.display(description=_("clients / capacity"), ordering="load")
    def caseload(self, obj: SupportPerson) -> str:
        return f"{getattr(obj, 'load', 0)} / {obj.capacity}"


@admin.register(StatusChange)
class StatusChangeAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    list_display = ["on", "status", "support_person", "reason", "by"]
    list_filter = ["status", "support_person__programme"]
    search_fields = ["support_person__search_name", "reason"]
    list_select_related = ["support_person", "by"]
    date_hierarchy = "on"
    autocomplete_fields = ["support_person", "by"]

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]


@admin.register(RecruitmentStep)
class RecruitmentStepAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    list_display = ["on", "step", "outcome", "support_person", "by"]
    list_filter = ["step", "outcome", "support_person__programme"]
    search_fields = ["support_person__search_name"]
    list_select_related = ["support_person", "by"]
    date_hierarchy = "on"
    autocomplete_fields = ["support_person", "by"]

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    autocomplete_fields = ["support_person"]


@admin.register(TrainingEvent)
class TrainingEventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "programme",
        "locality",
        "on",
        "status",
        "min_registrations",
        "registered",
        "attended",
    ]
    list_filter = ["programme", "kind", "status", "locality"]
    search_fields = ["title", "cancel_reason"]
    list_select_related = ["programme", "locality"]
    date_hierarchy = "on"
    inlines = [RegistrationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingEvent]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _registered=Count("registrations", filter=Q(registrations__removed_at=None)),
                _attended=Count(
                    "registrations",
                    filter=Q(registrations__attended=True, registrations__removed_at=None),
                ),
            )
        )

    @admin.display(description=_("registered"), ordering="_registered")
    def registered(self, obj: TrainingEvent) -> int:
        return int(getattr(obj, "_registered", 0))

    @admin.display(description=_("attended"), ordering="_attended")
    def attended(self, obj: TrainingEvent) -> int:
        return int(getattr(obj, "_attended", 0))


@admin.register(Registration)
class RegistrationAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    list_display = ["event", "support_person", "registered_on", "attended"]
    list_filter = ["attended", "event__programme", "event__locality"]
    search_fields = ["support_person__search_name", "event__title"]
    list_select_related = ["event__locality", "support_person"]
    date_hierarchy = "registered_on"
    autocomplete_fields = ["event", "support_person"]

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]


@admin.register(CollaborationActivity)
class CollaborationActivityAdmin(admin.ModelAdmin):
    list_display = ["on", "forum", "programme"]
    list_filter = ["programme"]
    search_fields = ["forum", "note"]
    list_select_related = ["programme"]
    date_hierarchy = "on"


@admin.register(DelegationItem)
class DelegationItemAdmin(SimpleHistoryAdmin):
    """The committee's delegation list (delegationsordning): edited here, with its history.
    An item that decisions rest on cannot be deleted; it is retired (not in force)."""

    list_display = ["reference", "matter", "delegate", "programme", "active"]
    list_filter = ["programme", "matter", "active"]
    search_fields = ["reference", "delegate", "note"]
    list_select_related = ["programme"]

    def has_delete_permission(
        self, request: HttpRequest, obj: DelegationItem | None = None
    ) -> bool:
        if obj is not None and obj.decisions.exists():  # type: ignore[attr-defined]
            return False
        return super().has_delete_permission(request, obj)


from . import user_admin  # noqa: F401, E402 (registers the user admin)
