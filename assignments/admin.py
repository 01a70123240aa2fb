"""Admin for requests, assignments, changes of support person, duties and flags."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from clients.admin import FoldedSearchAdmin

from .models import (
    Assignment,
    DigestLog,
    DutyCheck,
    DutyTemplate,
    Flag,
    Request,
    RequestPause,
    SatisfactionFollowUp,
    SupportPersonChange,
)


class RequestPauseFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        # The database allows one open pause per request (requestpause_one_open_per_request);
        # a model form cannot check that constraint on an inline, whose foreign key it leaves
        # out of validation, so the formset, which holds all of a request's pauses, does.
        super().clean()
        open_pauses = 0
        for form in self.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE") and "ended_on" in data and data["ended_on"] is None:
                open_pauses += 1
        if open_pauses > 1:
            raise ValidationError(_("A request can have only one pause without a resume date."))


class RequestPauseInline(admin.TabularInline):
    model = RequestPause
    formset = RequestPauseFormSet
    extra = 0


@admin.register(RequestPause)
class RequestPauseAdmin(FoldedSearchAdmin):
    list_display = ["request", "client_name", "started_on", "ended_on", "reason"]
    list_filter = ["request__client__unit__programme"]
    search_fields = ["request__client__search_name", "reason"]
    list_select_related = ["request__client"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["request"]

    @admin.display(description=_("client"), ordering="request__client__search_name")
    def client_name(self, obj: RequestPause) -> str:
        return obj.request.client.display_name


class RequestStatusFilter(admin.SimpleListFilter):
    title = _("request status")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            ("open", _("Waiting for an appointment")),
            ("answered", _("Answered by an appointment")),
            ("withdrawn", _("Withdrawn")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "open":
            return queryset.filter(withdrawn_at__isnull=True, assignment__isnull=True)
        if self.value() == "answered":
            return queryset.filter(assignment__isnull=False)
        if self.value() == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


@admin.register(Request)
class RequestAdmin(FoldedSearchAdmin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "client_name",
        "received_at",
        "source",
        "due_on",
        "appointed_on",
        "withdrawn_at",
        "delay_excused",
    ]
    list_filter = [RequestStatusFilter, "source", "delay_excused", "client__unit__programme"]
    search_fields = ["client__search_name", "note", "late_reason"]
    list_select_related = ["client__unit__programme", "assignment"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["client", "wished_language", "registered_by"]
    inlines = [RequestPauseInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Request]:
        return super().get_queryset(request).prefetch_related("pauses")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("registered_by", str(request.user.pk))
        return initial

    @admin.display(description=_("client"), ordering="client__search_name")
    def client_name(self, obj: Request) -> str:
        return obj.client.display_name

    @admin.display(description=_("due"))
    def due_on(self, obj: Request) -> date | None:
        # Domain.md rule 5: working days on the Swedish calendar, pauses not counted.
        return obj.deadline(obj.client.unit.programme.request_target_working_days)

    @admin.display(description=_("appointed"))
    def appointed_on(self, obj: Request) -> date | None:
        assignment = getattr(obj, "assignment", None)
        return assignment.started_on if assignment is not None else None


class AssignmentStatusFilter(admin.SimpleListFilter):
    title = _("assignment status")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("active", _("Active")), ("ended", _("Released"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "active":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "ended":
            return queryset.filter(ended_on__isnull=False)
        return queryset


@admin.register(Assignment)
class AssignmentAdmin(FoldedSearchAdmin, SimpleHistoryAdmin):
    # The form validates the model's constraints (Django's validate_constraints), so a
    # second active assignment for a client is a form error with the constraint's message.
    list_display = [
        "client_name",
        "support_person",
        "started_on",
        "ended_on",
        "end_reason",
        "decided_by",
    ]
    list_filter = [AssignmentStatusFilter, "end_reason", "client__unit__programme"]
    search_fields = ["client__search_name", "support_person__search_name"]
    list_select_related = ["client", "support_person", "decided_by"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["client", "support_person", "request", "decided_by"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("decided_by", str(request.user.pk))
        return initial

    def has_delete_permission(self, request: HttpRequest, obj: Assignment | None = None) -> bool:
        # The assignment history is never deleted (domain.md); retention has its own job.
        return False

    @admin.display(description=_("client"), ordering="client__search_name")
    def client_name(self, obj: Assignment) -> str:
        return obj.client.display_name


@admin.register(SupportPersonChange)
class SupportPersonChangeAdmin(FoldedSearchAdmin):
    list_display = [
        "__str__",
        "client_name",
        "reason",
        "client_informed_on",
        "good_man_informed_on",
        "relatives_informed_on",
        "case_officer_informed_on",
        "created_at",
    ]
    list_filter = ["reason"]
    search_fields = [
        "previous__client__search_name",
        "previous__support_person__search_name",
        "successor__support_person__search_name",
    ]
    list_select_related = [
        "previous__client",
        "previous__support_person",
        "successor__support_person",
    ]
    date_hierarchy = "created_at"
    autocomplete_fields = ["previous", "successor", "decided_by"]

    @admin.display(description=_("client"), ordering="previous__client__search_name")
    def client_name(self, obj: SupportPersonChange) -> str:
        return obj.previous.client.display_name


class SatisfactionStatusFilter(admin.SimpleListFilter):
    title = _("wish to change")
    parameter_name = "wish"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("open", _("Not yet handled")), ("handled", _("Handled"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        wishes = queryset.filter(outcome=SatisfactionFollowUp.Outcome.WANTS_CHANGE)
        if self.value() == "open":
            return wishes.filter(handled_at__isnull=True)
        if self.value() == "handled":
            return wishes.filter(handled_at__isnull=False)
        return queryset


@admin.register(SatisfactionFollowUp)
class SatisfactionFollowUpAdmin(FoldedSearchAdmin):
    list_display = ["on", "outcome", "client_name", "support_person", "recorded_by", "handled_at"]
    list_filter = [SatisfactionStatusFilter, "outcome", "assignment__client__unit__programme"]
    search_fields = [
        "assignment__client__search_name",
        "assignment__support_person__search_name",
        "note",
    ]
    list_select_related = ["assignment__client", "assignment__support_person", "recorded_by"]
    date_hierarchy = "on"
    autocomplete_fields = ["assignment", "recorded_by"]

    @admin.display(description=_("client"), ordering="assignment__client__search_name")
    def client_name(self, obj: SatisfactionFollowUp) -> str:
        return obj.assignment.client.display_name

    @admin.display(description=_("support person"))
    def support_person(self, obj: SatisfactionFollowUp) -> str:
        return obj.assignment.support_person.display_name


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
class DutyCheckAdmin(FoldedSearchAdmin):
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
class FlagAdmin(FoldedSearchAdmin):
    """Flags are raised by the background checks: what was found, on what and when is theirs."""

    form = FlagAdminForm
    list_display = [
        "kind",
        "client_name",
        "target_id",
        "detail",
        "raised_at",
        "notified_at",
        "resolved_at",
        "is_open",
    ]
    list_filter = [FlagStatusFilter, "kind", "client__unit__programme"]
    search_fields = ["client__search_name", "detail"]
    list_select_related = ["client"]
    date_hierarchy = "raised_at"
    readonly_fields = ["kind", "client", "target_id", "raised_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("client"), ordering="client__search_name")
    def client_name(self, obj: Flag) -> str:
        return obj.client.display_name

    @admin.display(description=_("open"), boolean=True, ordering="resolved_at")
    def is_open(self, obj: Flag) -> bool:
        return obj.is_open


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
