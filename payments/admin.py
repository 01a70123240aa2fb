from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Rate


@admin.register(Rate)
class RateAdmin(SimpleHistoryAdmin):
    """Administrators keep the rates; a rate's validity may not overlap another of its kind
    (Rate.clean, run by the admin's form)."""

    list_display = ["kind", "programme", "amount", "valid_from", "valid_to", "wage_type", "taxable"]
    list_filter = ["programme", "kind"]
    date_hierarchy = "valid_from"
