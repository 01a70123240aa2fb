"""The client list's filters."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment
from clients.forms import PersonFilterSet
from clients.models import Client, Unit
from flags.models import Flag
from stodperson.dates import active_on


class ClientFilter(PersonFilterSet):
    """The client list's filters; the queryset it filters is already limited to the user."""

    unit = django_filters.ModelChoiceFilter(
        label=_("unit"), queryset=Unit.objects.none(), empty_label=_("All units")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[("active", _("Active")), ("ended", _("Ended"))],
        method="filter_status",
        empty_label=_("All"),
    )
    flag = django_filters.ChoiceFilter(
        label=_("open flag"), choices=Flag.Kind.choices, method="filter_flag", empty_label=_("Any")
    )
    has_support_person = django_filters.ChoiceFilter(
        label=_("support person"),
        choices=[("yes", _("Has a support person")), ("no", _("Without support person"))],
        method="filter_has_support_person",
        empty_label=_("All"),
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(request.user)  # type: ignore[attr-defined]

    def filter_status(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        today = timezone.localdate()
        active = active_on(today)
        return queryset.filter(active) if value == "active" else queryset.exclude(active)

    def filter_flag(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        return queryset.filter(pk__in=Flag.objects.open().filter(kind=value).values("client_id"))

    def filter_has_support_person(
        self, queryset: QuerySet[Client], name: str, value: str
    ) -> QuerySet[Client]:
        with_person = Q(pk__in=Assignment.objects.active().values("client_id"))
        return queryset.filter(with_person) if value == "yes" else queryset.exclude(with_person)
