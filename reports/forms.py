"""Forms for the tertial reports: they validate and normalise; the writes are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Programme
from stodperson.forms import Form, ModelForm
from stodperson.tertials import Tertial

from .models import TertialReport

FIRST_YEAR = 2015


def _period_choices() -> list[tuple[str, str]]:
    """Every tertial from FIRST_YEAR to the current one, newest first."""
    current = Tertial.of(timezone.localdate())
    choices = []
    period = current
    while period.year >= FIRST_YEAR:
        choices.append((period.slug, period.label))
        period = period.previous()
    return choices


class ReportCreateForm(ModelForm):
    class Meta:
        model = TertialReport
        fields = ["programme", "year", "tertial"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year"),
            choices=[(y, y) for y in range(today.year, FIRST_YEAR - 1, -1)],
            coerce=int,
            initial=Tertial.of(today).previous().year,
        )
        self.fields["tertial"].initial = Tertial.of(today).previous().number
        programme = self.fields["programme"]
        assert isinstance(programme, forms.ModelChoiceField)
        programme.queryset = Programme.objects.order_by("name")


class NarrativeForm(ModelForm):
    """The four sections the administrator writes. A final report refuses every change."""

    class Meta:
        model = TertialReport
        fields = [
            "activities_text",
            "support_persons_text",
            "assignments_text",
            "planned_actions_text",
        ]
        labels = {
            "activities_text": _("Activities"),
            "support_persons_text": _("Support persons"),
            "assignments_text": _("Assignments"),
            "planned_actions_text": _("Planned actions"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in [
                "activities_text",
                "support_persons_text",
                "assignments_text",
                "planned_actions_text",
            ]
        }

    def clean(self) -> dict[str, Any]:
        if self.instance.pk is not None and self.instance.is_final:
            raise ValidationError(
                _("The report is final and can no longer be changed."), code="final"
            )
        return super().clean() or {}


class FinaliseForm(Form):
    confirm = forms.BooleanField(
        label=_("I have checked the figures and the text: make the report final."),
        required=True,
    )


class BatchForm(Form):
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    first = forms.ChoiceField(label=_("From tertial"))
    last = forms.ChoiceField(label=_("To tertial"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _period_choices()
        for name in ("first", "last"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        previous = Tertial.of(timezone.localdate()).previous()
        self.fields["first"].initial = previous.slug
        self.fields["last"].initial = previous.slug
        self.fields["programmes"].initial = list(Programme.objects.values_list("pk", flat=True))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("first") and cleaned.get("last"):
            first, last = Tertial.parse(cleaned["first"]), Tertial.parse(cleaned["last"])
            if first > last:
                raise ValidationError(_("The first tertial comes after the last."))
            periods = [first]
            while periods[-1] < last:
                periods.append(periods[-1].next())
            cleaned["periods"] = periods
        return cleaned
