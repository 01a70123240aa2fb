"""The form of the end of compulsory care (assignments/care_end.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from stodperson.concurrency import VersionField, version_of
from stodperson.forms import Form, PastDateField

from .models import Assignment, CareEnd


class CareEndForm(Form):
    ended_on = PastDateField(
        label=_("the day compulsory care ended"),
        error_messages={"required": _("Give the day compulsory care ended.")},
    )
    learnt_from = forms.ChoiceField(
        label=_("where the office learnt it"),
        choices=CareEnd.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say where the office learnt that care ended.")},
    )
    learnt_note = forms.CharField(
        label=_("note on the source"),
        required=False,
        max_length=200,
        help_text=_("Who told the office, if it helps. No health details."),
    )
    patient_wants_extension = forms.BooleanField(
        label=_("the patient wants the assignment to continue"), required=False
    )
    support_person_wants_extension = forms.BooleanField(
        label=_("the support person wants the assignment to continue"), required=False
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        client: Client,
        assignment: Assignment,
        care_end: CareEnd | None = None,
        **kwargs: Any,
    ) -> None:
        initial = {"version": version_of(client), **(kwargs.pop("initial", None) or {})}
        if care_end is not None:
            initial.setdefault("ended_on", client.compulsory_care_ended_on)
            initial.setdefault("learnt_from", care_end.learnt_from)
            initial.setdefault("learnt_note", care_end.learnt_note)
            initial.setdefault("patient_wants_extension", care_end.patient_wants_extension)
            initial.setdefault(
                "support_person_wants_extension", care_end.support_person_wants_extension
            )
        super().__init__(*args, initial=initial, **kwargs)
        self.assignment = assignment

    def clean_ended_on(self) -> Any:
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.assignment.started_on:
            raise forms.ValidationError(
                _("Compulsory care cannot have ended before the assignment began (%(day)s).")
                % {"day": date_format(self.assignment.started_on, "DATE_FORMAT")},
                code="before_start",
            )
        return ended_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("learnt_from") == CareEnd.Source.OTHER and not data.get("learnt_note"):
            self.add_error("learnt_note", _("Say where the office learnt that care ended."))
        return data
