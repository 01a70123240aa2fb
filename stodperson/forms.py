"""Form pieces the apps share."""

from datetime import date
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest
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


F = TypeVar("F", bound=forms.Form)


def confirmed_form(request: HttpRequest, form_class: type[F], **kwargs: Any) -> F:
    """The form of a step that cannot be undone (GOV.UK: a confirmation page before it):
    bound only to a post that carries `confirm`, which the confirmation page's form sends. A
    GET, or a post without it (an old form, a script), gets the page with nothing done and
    the posted values filled in."""
    if request.method == "POST" and "confirm" in request.POST:
        return form_class(request.POST, **kwargs)
    initial = request.POST.dict() if request.method == "POST" else None
    return form_class(initial=initial, **kwargs)
