"""Admin for programmes, units and clients.

Lists show what a list may show (domain.md, "Privacy obligations"): a client's display name
(a placeholder for a protected identity) and the masked personnummer, never the whole number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from stodperson.text import fold

from .models import (
    Client,
    Consent,
    Contact,
    Deviation,
    Language,
    Locality,
    Programme,
    ProtectedIdentity,
    RiskFollowUp,
    RiskMeasure,
    Unit,
    assignment_model,
)
from .personnummer import normalise_personnummer


class FoldedSearchAdmin(admin.ModelAdmin):
    """Search that also matches the folded `search_name` columns with the folded term.

    SQLite's LIKE folds ASCII only, so "öberg" would not find "Öberg" with Django's own
    icontains; the folded column (as in `Client.objects.search`) makes it the same lookup on
    every database. Every entry of `search_fields` that ends in `search_name` is searched this
    way, in addition to Django's own search over all of them."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        words = fold(search_term).split()
        if not words:
            return queryset, False
        by_name = Q()
        for path in self.get_search_fields(request):
            if path.endswith("search_name"):
                all_words = Q()
                for word in words:
                    all_words &= Q(**{f"{path}__contains": word})
                by_name |= all_words
        # Django's search on a plain queryset, then a pk subquery: no join is repeated, so
        # no row is either, and the changelist needs no DISTINCT.
        others, _duplicates = super().get_search_results(
            request, self.model._default_manager.all(), search_term
        )
        return queryset.filter(by_name | Q(pk__in=others.values("pk"))), False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "organisation",
        "request_target_working_days",
        "new_client_grace_days",
        "deviation_max_open_days",
        "care_ended_release_days",
    ]
    list_filter = ["kind"]
    search_fields = ["name", "organisation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "locality", "manager_names"]
    list_filter = ["programme", "locality"]
    search_fields = ["name", "locality__name"]
    list_select_related = ["programme", "locality"]
    autocomplete_fields = ["managers"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return super().get_queryset(request).prefetch_related("managers")

    @admin.display(description=_("unit managers"))
    def manager_names(self, obj: Unit) -> str:
        return ", ".join(user.get_full_name() or user.get_username() for user in obj.managers.all())


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


class RiskMeasureInline(admin.StackedInline):
    model = RiskMeasure
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Client | None = None, **kwargs: Any) -> Any:
        # The consent a measure rests on is one of this client's, not one of every client's.
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("consent")
        if isinstance(field, forms.ModelChoiceField):  # absent when the user may only view
            field.queryset = (
                Consent.objects.filter(client=obj) if obj is not None else Consent.objects.none()
            )
        return formset


class DeviationInline(admin.StackedInline):
    model = Deviation
    extra = 0
    autocomplete_fields = ["reported_by"]


class ClientStatusFilter(admin.SimpleListFilter):
    title = _("client status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("active", _("Active today")), ("ended", _("Not active today"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        active = Client.objects.active().values("pk")
        if self.value() == "active":
            return queryset.filter(pk__in=active)
        if self.value() == "ended":
            return queryset.exclude(pk__in=active)
        return queryset


class FindableSearchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A search that finds only the rows `findable` allows: a protected identity is never
    found by a field that identifies it, by anyone but its named readers."""

    def findable(self, request: HttpRequest, search_term: str) -> Q:
        return Q()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return results, duplicates
        return results.filter(self.findable(request, search_term)), duplicates


class ProtectedIdentityAdmin(ReadLoggedAdmin, FindableSearchAdmin):
    """The admin of clients and support persons: a protected identity's name and identifying
    details are not there for anyone but its named readers, in every door of the admin (the
    change page, the list, search, the history and its revert page), and every opening of the
    change page is in the read log (domain.md, "Privacy obligations")."""

    identifying_fields: tuple[str, ...] = ("first_name", "last_name")
    log_subject = ""
    # Set on the request by the history's revert page of a record hidden from the user.
    HIDDEN_ATTR = "_protected_identity_hidden"

    def _hidden(self, request: HttpRequest, obj: Any) -> bool:
        if getattr(request, self.HIDDEN_ATTR, False):
            return True
        return obj is not None and bool(obj.identity_hidden_from(request.user))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        if self._hidden(request, obj):
            return [f for f in fields if f not in self.identifying_fields]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)
        if not self._hidden(request, obj):
            return readonly
        # Lifting the protection would show the name to the one who lifts it, and naming
        # oneself a reader would too: once a record has named readers, only they change
        # the list (the first reader is named by an administrator).
        hidden = ["protected_identity"]
        if obj is not None and obj.pk and obj.identity_readers.exists():
            hidden.append("identity_readers")
        return [*readonly, *hidden]

    def findable(self, request: HttpRequest, search_term: str) -> Q:
        """The rows a search may find by an identifying field: not protected, or read by
        the user. (A protected identity's search name is empty, so no name finds it.)"""
        readable = self.model._default_manager.filter(identity_readers=request.user.pk)
        return Q(protected_identity=ProtectedIdentity.NONE) | Q(pk__in=readable.values("pk"))

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(self.log_subject, obj)]

    # --- The history (django-simple-history) -----------------------------------------------

    def history_hidden(self, request: HttpRequest, object_id: Any) -> bool:
        """Whether the history of a record is kept from the user: the record is protected now
        or was at some time, and the user is not a named reader. Rows from before the
        protection hold the real name too, so every row is masked, not only the protected."""
        records = self.model.history.filter(id=object_id)  # type: ignore[attr-defined]
        current = self.model._default_manager.filter(pk=object_id)
        protected = (
            current.exclude(protected_identity=ProtectedIdentity.NONE).exists()
            or records.exclude(protected_identity=ProtectedIdentity.NONE).exists()
        )
        return protected and not current.filter(identity_readers=request.user.pk).exists()

    def mask(self, record: Any, pk: Any) -> None:
        """Blank a (historical) row's identifying fields for display; never saved."""
        for name in self.identifying_fields:
            setattr(record, name, None if record._meta.get_field(name).null else "")
        record.first_name = self.model.placeholder(pk)  # type: ignore[attr-defined]

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Any, foreign_keys_are_objs: bool = True
    ) -> None:
        records = list(historical_records)
        if records and self.history_hidden(request, records[0].id):
            for record in records:  # before the deltas, which then show no identifying change
                self.mask(record, record.id)
        super().set_history_delta_changes(  # type: ignore[misc]
            request, historical_records, foreign_keys_are_objs
        )

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        if self.history_hidden(request, unquote(object_id)):
            if request.method == "POST":
                raise PermissionDenied  # a non-reader may not revert a protected record
            setattr(request, self.HIDDEN_ATTR, True)
        return super().history_form_view(  # type: ignore[misc]
            request, object_id, version_id, extra_context
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None and getattr(request, self.HIDDEN_ATTR, False):
            self.mask(obj, obj.pk)  # the revert page's title and breadcrumbs show the row
        return super().get_form(request, obj, change, **kwargs)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        if getattr(request, self.HIDDEN_ATTR, False):
            return True
        return bool(super().revert_disabled(request, obj))  # type: ignore[misc]


class ClientAdminForm(forms.ModelForm):
    def clean_personnummer(self) -> str:
        # Stored as YYYYMMDD-NNNN, so that masking (first eight characters) shows the birth
        # date and nothing of the last four digits.
        value: str = self.cleaned_data["personnummer"]
        return normalise_personnummer(value) if value else ""


@admin.register(Client)
class ClientAdmin(ProtectedIdentityAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
    form = ClientAdminForm
    identifying_fields = ("first_name", "last_name", "personnummer")
    log_subject = "client"
    list_display = [
        "display_name",
        "masked_personnummer",
        "unit",
        "protected_identity",
        "legal_basis",
        "started_on",
        "ended_on",
        "has_support_person",
    ]
    list_filter = [
        ClientStatusFilter,
        "unit__programme",
        "unit",
        "protected_identity",
        "legal_basis",
    ]
    search_fields = ["search_name"]
    list_select_related = ["unit"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["unit"]
    inlines = [ContactInline, ConsentInline, RiskMeasureInline, DeviationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Client]:
        active = assignment_model()._default_manager.filter(
            client=OuterRef("pk"), ended_on__isnull=True
        )
        return super().get_queryset(request).annotate(_has_support_person=Exists(active))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        try:
            number = normalise_personnummer(search_term)
        except ValidationError:
            return results, duplicates
        # A whole number finds its client; a part of one finds nothing (no fishing by digits);
        # a protected client only for its named readers.
        by_number = Q(personnummer=number) & self.findable(request, search_term)
        return queryset.filter(Q(pk__in=results.values("pk")) | by_number), False

    @admin.display(description=_("name"))
    def display_name(self, obj: Client) -> str:
        return obj.display_name

    @admin.display(description=_("personal identity number"))
    def masked_personnummer(self, obj: Client) -> str:
        # The masked number still shows the birth date: none for a protected identity.
        return "–" if obj.is_protected else obj.masked_personnummer

    @admin.display(
        description=_("has a support person"), boolean=True, ordering="_has_support_person"
    )
    def has_support_person(self, obj: Client) -> bool:
        return bool(getattr(obj, "_has_support_person", False))


class ClientRowAdmin(ReadLoggedAdmin, FoldedSearchAdmin):
    """Rows that hang on a client: the list shows the client's display name."""

    list_select_related = ["client"]

    autocomplete_fields = ["client"]

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.CLIENT, obj.client)]

    @admin.display(description=_("client"), ordering="client__search_name")
    def client_name(self, obj: Contact | Consent | RiskMeasure | Deviation) -> str:
        return obj.client.display_name


@admin.register(Contact)
class ContactAdmin(ClientRowAdmin):
    list_display = ["name", "role", "client_name", "phone", "email"]
    list_filter = ["role"]
    search_fields = ["name", "client__search_name"]


class ConsentAttentionFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("yes", _("Withdrawn or past review"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(
                pk__in=Consent.objects.needing_attention_on(timezone.localdate()).values("pk")
            )
        return queryset


@admin.register(Consent)
class ConsentAdmin(ClientRowAdmin):
    list_display = ["purpose", "client_name", "given_on", "review_on", "withdrawn_on"]
    list_filter = [ConsentAttentionFilter, "client__unit__programme"]
    search_fields = ["purpose", "client__search_name"]
    date_hierarchy = "given_on"


@admin.register(RiskFollowUp)
class RiskFollowUpAdmin(ReadLoggedAdmin):
    """The follow-ups of a risk assessment or measure (clients/record_views.py records
    them); they hang on the client through the measure."""

    list_display = ["followed_up_on", "measure", "client_name", "next_follow_up_on", "by"]
    list_select_related = ["measure__client", "by"]
    raw_id_fields = ["measure", "by"]
    date_hierarchy = "followed_up_on"

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [(ReadLogEntry.Subject.CLIENT, obj.measure.client)]

    @admin.display(description=_("client"), ordering="measure__client__search_name")
    def client_name(self, obj: RiskFollowUp) -> str:
        return obj.measure.client.display_name


@admin.register(RiskMeasure)
class RiskMeasureAdmin(ClientRowAdmin):
    list_display = [
        "kind",
        "client_name",
        "decided_on",
        "follow_up_on",
        "followed_up_on",
        "ended_on",
    ]
    list_filter = ["kind", "client__unit__programme"]
    search_fields = ["description", "client__search_name"]
    date_hierarchy = "decided_on"
    autocomplete_fields = ["client", "consent"]


@admin.register(Deviation)
class DeviationAdmin(ClientRowAdmin):
    list_display = ["occurred_on", "category", "status", "client_name", "closed_on"]
    list_filter = ["status", "category", "client__unit__programme"]
    search_fields = ["description", "client__search_name"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["client", "reported_by"]
