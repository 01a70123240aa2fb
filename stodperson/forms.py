"""Form pieces the apps share."""

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar, cast

import django_filters
from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# What Django puts in an empty choice unless told otherwise (BLANK_CHOICE_DASH,
# ModelChoiceField.empty_label, django-filter's EMPTY_CHOICE_LABEL).
DASHES = "---------"


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


def lower_first(text: str) -> str:
    """ "Enhet" -> "enhet" inside a sentence; an abbreviation ("CSV-fil") keeps its capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def choose_placeholder(label: Any) -> str:
    return _("Choose %(field)s") % {"field": lower_first(str(label))}


def make_swedish(field: forms.Field) -> None:
    """A field as the Swedish interface shows it: a label in sentence case, and an empty
    choice that says what to choose ("Välj enhet") instead of Django's "---------"."""
    if field.label is not None:
        field.label = capfirst(field.label)
    if field.label is None or isinstance(field, forms.ModelMultipleChoiceField):
        return
    if hasattr(field, "empty_label"):  # ModelChoiceField, django-filter's ChoiceField
        if field.empty_label == DASHES:
            field.empty_label = choose_placeholder(field.label)
    elif isinstance(field, forms.ChoiceField):
        choices: list[tuple[Any, Any]] = list(cast(Iterable[tuple[Any, Any]], field.choices))
        if any(key in ("", None) and text == DASHES for key, text in choices):
            placeholder = choose_placeholder(field.label)
            field.choices = [
                (key, placeholder if key in ("", None) and text == DASHES else text)
                for key, text in choices
            ]


class SwedishFormMixin:
    """Every form of the interface is built on this (Form, ModelForm below; the filters and
    the admin apply make_swedish to their fields too), so no form shows a lower-case label
    or a "---------" choice, whatever its fields declare."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            make_swedish(field)


class Form(SwedishFormMixin, forms.Form):
    pass


class ModelForm(SwedishFormMixin, forms.ModelForm):
    pass


class FilterSet(django_filters.FilterSet):
    """A list's filters, with their form in sentence case and "Välj …" empty choices."""

    def get_form_class(self) -> type[forms.Form]:
        form_class = super().get_form_class()
        if issubclass(form_class, SwedishFormMixin):
            return form_class
        return type(form_class.__name__, (SwedishFormMixin, form_class), {})


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
