from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Budget, Payee, PaymentLine, PaymentRun, Rate


@admin.register(Rate)
class RateAdmin(SimpleHistoryAdmin):
    """Administrators keep the rates; a rate's validity may not overlap another of its kind
    (Rate.clean, run by the admin's form)."""

    list_display = ["kind", "programme", "amount", "valid_from", "valid_to", "wage_type", "taxable"]
    list_filter = ["programme", "kind"]
    date_hierarchy = "valid_from"


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "year", "amount", "cost_centre"]
    list_filter = ["programme", "year"]


class PayeeForm(forms.ModelForm):
    """The personnummer is written, never shown: the field starts empty, and left empty on a
    change it keeps what is stored."""

    personnummer = forms.CharField(
        label=_("personal identity number"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Shown nowhere but in the payroll file. Leave empty to keep the stored one."),
    )

    class Meta:
        model = Payee
        fields = ["support_person", "personnummer"]

    def clean_personnummer(self) -> str:
        value: str = self.cleaned_data["personnummer"].strip()
        if not value:
            if self.instance.pk:
                return self.instance.personnummer
            raise forms.ValidationError(_("Enter the personal identity number."))
        return value


@admin.register(Payee)
class PayeeAdmin(SimpleHistoryAdmin):
    form = PayeeForm
    list_display = ["support_person", "__str__"]
    search_fields = ["support_person__search_name"]
    autocomplete_fields = ["support_person"]


LINE_FIELDS = ["support_person", "period", "kind", "wage_type", "taxable", "amount", "basis"]


class PaymentLineInline(admin.TabularInline):
    model = PaymentLine
    fk_name = "run"
    fields = tuple(LINE_FIELDS)
    readonly_fields = LINE_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PaymentLine)
class PaymentLineAdmin(admin.ModelAdmin):
    """Read only, to find what a volunteer was paid and from what."""

    list_display = ["support_person", "period", "kind", "wage_type", "amount", "run"]
    list_filter = ["kind", "run__programme"]
    list_select_related = ["support_person", "run__programme"]
    search_fields = ["support_person__search_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PaymentRun)
class PaymentRunAdmin(SimpleHistoryAdmin):
    """Read only: runs are prepared, attested and paid on their own pages (payments/runs.py),
    where the two-person rule holds."""

    list_display = ["month", "programme", "status", "prepared_by", "attested_by", "paid_on"]
    list_filter = ["programme", "status"]
    inlines = [PaymentLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
