"""Admin for requests, assignments, changes of support person, duties and flags."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from clients.admin import FoldedSearchAdmin

from .models import (
    Assignment,
    CareEnd,
    Decision,
    RequestPause,
    SatisfactionFollowUp,
    SupportPersonChange,
    SupportRequest,
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
class RequestPauseAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    list_display = ["request", "client_name", "started_on", "ended_on", "reason"]
    list_filter = ["request__client__unit__programme"]
    search_fields = ["request__client__search_name", "reason"]
    list_select_related = ["request__client"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["request"]

    @admin.display(description=_("client"), ordering="request__client__search_name")
    def client_name(self, obj: RequestPause) -> str:
        return obj.request.client.display_name

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.CLIENT, obj.request.client)]


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


@admin.register(SupportRequest)
class RequestAdmin(ReadLoggedAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupportRequest]:
        return super().get_queryset(request).prefetch_related("pauses")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("registered_by", str(request.user.pk))
        return initial

    @admin.display(description=_("client"), ordering="client__search_name")
    def client_name(self, obj: SupportRequest) -> str:
        return obj.client.display_name

    @admin.display(description=_("due"))
    def due_on(self, obj: SupportRequest) -> date | None:
        return obj.clock(timezone.localdate()).deadline

    @admin.display(description=_("appointed"))
    def appointed_on(self, obj: SupportRequest) -> date | None:
        return obj.answered_on

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.CLIENT, obj.client)]


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
class AssignmentAdmin(ReadLoggedAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
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

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [
            (ReadLogEntry.Subject.CLIENT, obj.client),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person),
        ]


@admin.register(SupportPersonChange)
class SupportPersonChangeAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
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

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [
            (ReadLogEntry.Subject.CLIENT, obj.previous.client),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.previous.support_person),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.successor.support_person),
        ]


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
class SatisfactionFollowUpAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
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

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [
            (ReadLogEntry.Subject.CLIENT, obj.assignment.client),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.assignment.support_person),
        ]


@admin.register(Decision)
class DecisionAdmin(ReadLoggedAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
    """Decisions under delegation, to read: an act records them (decision_record) and the
    office completes them on their own page, where the dates are checked
    (reports/decision_views.py); none is added, changed or deleted here."""

    list_display = [
        "__str__",
        "kind",
        "decided_on",
        "delegation_reference",
        "client_name",
        "support_person",
        "decided_by",
    ]
    list_filter = ["kind", "programme"]
    search_fields = ["client__search_name", "support_person__search_name", "delegation_reference"]
    list_select_related = ["client", "support_person", "decided_by"]
    date_hierarchy = "decided_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Decision | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Decision | None = None) -> bool:
        return False

    @admin.display(description=_("patient"), ordering="client__search_name")
    def client_name(self, obj: Decision) -> str:
        return obj.client.display_name if obj.client else "–"

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        shown: list[tuple[str, Any]] = [(ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person)]
        if obj.client is not None:
            shown.append((ReadLogEntry.Subject.CLIENT, obj.client))
        return shown


@admin.register(CareEnd)
class CareEndAdmin(ReadLoggedAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
    """The end of compulsory care is recorded on its own screen (assignments/care_end.py),
    which releases the assignment; here it is read, and the job's claims can be seen."""

    list_display = [
        "client_name",
        "learnt_from",
        "patient_wants_extension",
        "support_person_wants_extension",
        "recorded_at",
        "reminded_at",
        "release_claimed_at",
    ]
    list_filter = ["learnt_from", "patient_wants_extension", "support_person_wants_extension"]
    search_fields = ["assignment__client__search_name", "assignment__support_person__search_name"]
    list_select_related = ["assignment__client", "assignment__support_person"]
    autocomplete_fields = ["assignment", "recorded_by"]
    readonly_fields = ["reminded_at", "release_claimed_at"]

    @admin.display(description=_("client"), ordering="assignment__client__search_name")
    def client_name(self, obj: CareEnd) -> str:
        return obj.assignment.client.display_name

    def has_delete_permission(self, request: HttpRequest, obj: CareEnd | None = None) -> bool:
        return False

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [
            (ReadLogEntry.Subject.CLIENT, obj.assignment.client),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.assignment.support_person),
        ]


# The offers' and the contacts' admins live in their own modules; importing them registers them.
from . import contact_admin as contact_admin  # noqa: E402
from . import offer_admin as offer_admin  # noqa: E402
