"""Forms for the pool, training events, the collaboration log and the import: they
validate and normalise only; the rules are in services.py and importing.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.forms import PersonFilterSet
from clients.models import Gender, Language, Locality, Programme, Unit
from stodperson.forms import DateInput, Form, ModelForm, PastDateField

from .models import CollaborationActivity, RecruitmentStep, SupportPerson, TrainingEvent

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SupportPerson) -> str:  # type: ignore[override]
        return obj.display_name


class SupportPersonFilter(PersonFilterSet):
    """The pool list's filters; the queryset is already limited to what the user sees."""

    programme = django_filters.ModelChoiceFilter(
        label=_("programme"), queryset=Programme.objects.all(), empty_label=_("All programmes")
    )
    locality = django_filters.ModelChoiceFilter(
        label=_("locality"), queryset=Locality.objects.all(), empty_label=_("All localities")
    )
    gender = django_filters.ChoiceFilter(
        label=_("gender"), choices=Gender.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=SupportPerson.Status.choices, empty_label=_("All")
    )
    language = django_filters.ModelChoiceFilter(
        label=_("language"),
        queryset=Language.objects.all(),
        field_name="languages",
        empty_label=_("Any"),
    )
    free = django_filters.ChoiceFilter(
        label=_("free capacity"),
        choices=[("yes", _("Has a free place")), ("no", _("Full"))],
        method="filter_free",
        empty_label=_("All"),
    )

    class Meta:
        model = SupportPerson
        fields: list[str] = []

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        visible = Programme.objects.filter(pk__in=self.queryset.values("programme_id"))
        self.filters["programme"].queryset = visible  # type: ignore[attr-defined]

    def filter_free(
        self, queryset: QuerySet[SupportPerson], name: str, value: str
    ) -> QuerySet[SupportPerson]:
        loaded = queryset.with_load()  # type: ignore[attr-defined]
        if value == "yes":
            return loaded.filter(load__lt=F("capacity"))
        return loaded.filter(load__gte=F("capacity"))


class SupportPersonForm(ModelForm):
    class Meta:
        model = SupportPerson
        fields = [
            "programme",
            "unit",
            "first_name",
            "last_name",
            "gender",
            "birth_year",
            "locality",
            "languages",
            "phone",
            "email",
            "capacity",
            "protected_identity",
        ]
        widgets = {"languages": forms.CheckboxSelectMultiple}

    # What a protected identity keeps from those who are not its named readers: the fields
    # are not in the form, so they are neither shown nor overwritten, and the protection
    # cannot be lifted by someone it hides the name from.
    IDENTIFYING_FIELDS = ("first_name", "last_name", "birth_year", "phone", "email")

    def __init__(self, *args: Any, hide_identity: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hide_identity:
            for name in (*self.IDENTIFYING_FIELDS, "protected_identity"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, programme = data.get("unit"), data.get("programme")
        if unit is not None and programme is not None and unit.programme_id != programme.pk:
            self.add_error("unit", _("The unit belongs to another programme."))
        year = data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            self.add_error("birth_year", _("Enter a birth year between 1900 and this year."))
        return data


class NewSupportPersonForm(SupportPersonForm):
    interest_on = PastDateField(label=_("expression of interest"), initial=timezone.localdate)

    class Meta(SupportPersonForm.Meta):
        fields = [*SupportPersonForm.Meta.fields, "interest_on"]


class RecruitmentStepForm(Form):
    step = forms.ChoiceField(
        label=_("step"),
        choices=[c for c in RecruitmentStep.Step.choices if c[0] != RecruitmentStep.Step.INTEREST],
    )
    on = PastDateField(label=_("date"), initial=timezone.localdate)
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("", "–"), *RecruitmentStep.Outcome.choices],
        required=False,
        help_text=_("Needed for the background check and the interview."),
    )
    note = forms.CharField(
        label=_("note"),
        max_length=300,
        required=False,
        help_text=_("Never anything from the background check's extract."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("step") == RecruitmentStep.Step.BACKGROUND_CHECK and data.get("note"):
            self.add_error("note", _("Record only the date and the outcome of a background check."))
        return data


class StatusForm(Form):
    on = PastDateField(label=_("date"), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason"), max_length=200)


class TrainingEventForm(ModelForm):
    class Meta:
        model = TrainingEvent
        fields = ["programme", "kind", "title", "locality", "on", "min_registrations"]
        widgets = {"on": DateInput()}


class RegistrationForm(Form):
    people = PersonChoiceField(
        label=_("support persons"),
        queryset=SupportPerson.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: QuerySet[SupportPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]


class CancelForm(Form):
    reason = forms.CharField(label=_("reason for cancellation"), max_length=200)


class PeriodForm(Form):
    start = forms.DateField(label=_("from"), widget=DateInput())
    end = forms.DateField(label=_("until"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        if start and end and (end - start).days > 3660:
            self.add_error("end", _("Choose a period of at most ten years."))
        return data

    @staticmethod
    def default() -> tuple[date, date]:
        today = timezone.localdate()
        return today - timedelta(days=365), today


class CollaborationForm(ModelForm):
    on = PastDateField(label=_("date"), initial=timezone.localdate)

    class Meta:
        model = CollaborationActivity
        fields = ["programme", "on", "forum", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class BalanceForm(Form):
    programme = forms.ModelChoiceField(
        label=_("programme"),
        queryset=Programme.objects.all(),
        required=False,
        empty_label=_("All programmes"),
    )


class ImportForm(Form):
    KIND_CHOICES = [("support_persons", _("Support persons")), ("clients", _("Clients"))]

    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES)
    programme = forms.ModelChoiceField(
        label=_("programme"),
        queryset=Programme.objects.all(),
        required=False,
        help_text=_("For support persons: the programme they join."),
    )
    file = forms.FileField(
        label=_("file"), help_text=_("CSV (UTF-8, comma or semicolon) or Excel (.xlsx).")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a CSV or an Excel (.xlsx) file."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "support_persons" and not data.get("programme"):
            self.add_error("programme", _("Choose the programme the support persons join."))
        return data


def units_for(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("programme")
