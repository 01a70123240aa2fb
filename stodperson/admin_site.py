"""The Django admin, for administrators only: staff status alone does not open it, since the
admin does not apply the need-to-know rules of the application's own pages. Nor does a
password alone while two-factor login is owed (stodperson/two_factor.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from . import roles
from .forms import make_swedish

# The lookups the admin's own filters put in a changelist's query string (exact choice,
# related row by key, empty or not, date range, date hierarchy); nothing else.
FILTER_LOOKUPS = {"exact", "isnull", "isempty", "gte", "lt", "in"}
DATE_PARTS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}


class SwedishFields(BaseModelAdmin):  # type: ignore[type-arg]
    """The admin's fields as the rest of the interface has them: "Välj enhet", not
    "---------" (stodperson.forms.make_swedish)."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            make_swedish(field)
        return field


def _swedish_inline(inline: type[InlineModelAdmin]) -> type[InlineModelAdmin]:  # type: ignore[type-arg]
    if issubclass(inline, SwedishFields):
        return inline
    return type(inline.__name__, (SwedishFields, inline), {"__module__": inline.__module__})


class GuardedLookups(SwedishFields, admin.ModelAdmin):  # type: ignore[type-arg]
    """What every registered admin gets (AdminSite.register mixes it in).

    A changelist filters only by what it declares (list_filter, date_hierarchy, the raw-id
    popup's limit_choices_to): Django allows any lookup on a model's own fields, so
    `?first_name__startswith=Zl` would answer yes or no about a protected name it never
    shows. Search goes through `q` and the admin's own search only. Values that no
    database can take (a NUL character, a year past 9999) are refused with 400 before they
    reach one, instead of failing there with a 500."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if "\x00" in lookup or "\x00" in str(value):
            return False
        if self._popup_lookup(lookup, value):
            return True
        parts = lookup.split("__")
        hierarchy = self.date_hierarchy.split("__") if self.date_hierarchy else None
        if parts[:-1] == hierarchy and parts[-1] in DATE_PARTS:
            low, high = DATE_PARTS[parts[-1]]
            text = str(value)
            return len(text) <= 4 and text.isascii() and text.isdigit() and low <= int(text) <= high
        for declared in self.get_list_filter(request) if request else self.list_filter:
            if isinstance(declared, type):  # a SimpleListFilter: its own parameter
                if lookup == getattr(declared, "parameter_name", None):
                    return True
                continue
            field_path = declared[0] if isinstance(declared, (list, tuple)) else declared
            if not isinstance(field_path, str):
                continue
            path = field_path.split("__")
            rest = parts[len(path) :]
            if parts[: len(path)] == path and 1 <= len(rest) <= 2 and rest[-1] in FILTER_LOOKUPS:
                return self._value_fits(field_path, rest, str(value))
        return False

    def _value_fits(self, field_path: str, rest: list[str], value: str) -> bool:
        """A number for a number column fits the database's integer (Django checks this for
        a column's own exact lookup, not for a related row's key nor a list)."""
        if rest[-1] in ("isnull", "isempty"):
            return True
        field: Any
        try:
            field = get_fields_from_path(self.model, field_path)[-1]
            if field.is_relation:
                related = field.related_model._meta  # type: ignore[union-attr]
                field = related.get_field(rest[0]) if len(rest) == 2 else related.pk
        except FieldDoesNotExist:
            return False
        if not isinstance(field, models.IntegerField):
            return True
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        for item in value.split(",") if rest[-1] == "in" else [value]:
            text = item.strip()
            digits = text.removeprefix("-")
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 19):
                return False
            if (low is not None and int(text) < low) or (high is not None and int(text) > high):
                return False
        return True

    def _popup_lookup(self, lookup: str, value: str) -> bool:
        # The raw-id widget's popup filters the changelist by the relation's limit_choices_to.
        for fk_lookup in self.model._meta.related_fkey_lookups:  # type: ignore[attr-defined]
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # The search term and the other parameters lookup_allowed does not see.
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            raise DisallowedModelAdminLookup("A NUL character in the query string")
        return super().changelist_view(request, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if "\x00" in search_term:  # also the autocomplete's term
            raise DisallowedModelAdminLookup("A NUL character in the search term")
        return super().get_search_results(request, queryset, search_term)


class AdminSite(admin.AdminSite):
    site_header = _("Support person register – administration")
    site_title = _("Support person register")

    def register(
        self,
        model_or_iterable: type[Model] | Any,
        admin_class: type[admin.ModelAdmin] | None = None,  # type: ignore[type-arg]
        **options: Any,
    ) -> None:
        # Every admin, ours and those of the installed apps, gets the guarded lookups, and
        # its inlines the Swedish fields.
        admin_class = admin_class or admin.ModelAdmin
        admin_class = type(
            admin_class.__name__,
            (admin_class,)
            if issubclass(admin_class, GuardedLookups)
            else (GuardedLookups, admin_class),
            {
                "__module__": admin_class.__module__,
                "__qualname__": admin_class.__qualname__,
                "inlines": [_swedish_inline(inline) for inline in admin_class.inlines],
            },
        )
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        # Imported here: it needs the models, which are not loaded when this module is.
        from . import two_factor

        return (
            super().has_permission(request)
            and roles.is_administrator(request.user)
            and two_factor.is_satisfied(request)
        )


class StodpersonAdminConfig(AdminConfig):
    default_site = "stodperson.admin_site.AdminSite"

    def ready(self) -> None:
        super().ready()
        from . import two_factor

        # Every login path (ours, the admin's, the test client's) notes whether a code is owed.
        user_logged_in.connect(two_factor.remember_device_at_login, dispatch_uid="two_factor")
