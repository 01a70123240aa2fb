"""Admin for offers: read and correct, with the history; the read log as everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadLoggedAdmin
from audit.models import ReadLogEntry
from clients.admin import FoldedSearchAdmin

from .offer_models import Offer


@admin.register(Offer)
class OfferAdmin(ReadLoggedAdmin, FoldedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["request", "client_name", "support_person", "offered_at", "status"]
    list_filter = ["status", "request__client__unit__programme"]
    search_fields = ["request__client__search_name", "support_person__search_name"]
    list_select_related = ["request__client", "support_person"]
    date_hierarchy = "offered_at"
    autocomplete_fields = ["request", "support_person", "offered_by"]

    @admin.display(description=_("client"), ordering="request__client__search_name")
    def client_name(self, obj: Offer) -> str:
        return obj.request.client.display_name

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Any]]:
        return [
            (ReadLogEntry.Subject.CLIENT, obj.request.client),
            (ReadLogEntry.Subject.SUPPORT_PERSON, obj.support_person),
        ]
