"""Form pieces the apps share."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker; Swedish dates are written YYYY-MM-DD (ISO 8601)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_future(value: date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")


class PastDateField(forms.DateField):
    """A date that has happened: today or earlier."""

    widget = DateInput
    default_validators = [not_in_future]
