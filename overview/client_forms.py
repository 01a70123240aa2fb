"""The forms of a client's life in the register: edit the facts, move to another unit, end.
Each carries the version it was filled in against (stodperson/concurrency.py); they validate
and normalise only, the rules of a move and an end are in assignments/services.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment
from clients.models import Client, Unit
from clients.personnummer import normalise_personnummer
from stodperson.concurrency import VersionField, version_of
from stodperson.forms import DateInput, Form, ModelForm, PastDateField


def _not_before(form: forms.BaseForm, name: str, floor: date | None, message: Any) -> None:
    value = form.cleaned_data.get(name)
    if value is not None and floor is not None and value < floor and name not in form.errors:
        form.add_error(name, message % {"day": f"{floor:%Y-%m-%d}"})


class ClientForm(ModelForm):
    """The client's facts. A protected identity's name, personnummer and protection are
    not in the form for a user who is not one of its named readers: neither shown nor
    overwritten, and the protection cannot be lifted by someone it hides the name from (as
    supportpersons.forms.SupportPersonForm and the admin)."""

    started_on = PastDateField(label=_("client since"))
    compulsory_care_ended_on = PastDateField(label=_("compulsory care ended"), required=False)
    version = VersionField()

    IDENTIFYING_FIELDS = ("first_name", "last_name", "personnummer", "protected_identity")
    # The patient committee's: the legal basis of the compulsory care and its end.
    COMPULSORY_CARE_FIELDS = ("legal_basis", "compulsory_care_ended_on")

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "personnummer",
            "protected_identity",
            "legal_basis",
            "compulsory_care_ended_on",
            "wished_gender",
            "wished_language",
            "started_on",
        ]
        widgets = {"started_on": DateInput(), "compulsory_care_ended_on": DateInput()}
        help_texts = {
            "protected_identity": _(
                "Whoever marks an identity protected is named as one who may see it; an "
                "administrator names the others."
            )
        }

    def __init__(
        self, data: Any = None, *, instance: Client, hide_identity: bool, **kwargs: Any
    ) -> None:
        kwargs["initial"] = {"version": version_of(instance), **(kwargs.get("initial") or {})}
        super().__init__(data, instance=instance, **kwargs)
        if hide_identity:
            for name in self.IDENTIFYING_FIELDS:
                del self.fields[name]
        if instance.unit.programme.is_personal_assistance:
            for name in self.COMPULSORY_CARE_FIELDS:
                del self.fields[name]

    def clean_personnummer(self) -> str:
        # Stored as YYYYMMDD-NNNN, as the admin and the import store it.
        value: str = self.cleaned_data["personnummer"]
        return normalise_personnummer(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first = self.instance.assignments.aggregate(first=Min("started_on"))["first"]
        _not_before(
            self,
            "compulsory_care_ended_on",
            data.get("started_on") or self.instance.started_on,
            _("The date cannot be before the client began (%(day)s)."),
        )
        started = data.get("started_on")
        if started and first and started > first:
            self.add_error(
                "started_on",
                _(
                    "The client cannot begin after their first support person was appointed "
                    "(%(day)s)."
                )
                % {"day": f"{first:%Y-%m-%d}"},
            )
        ended = self.instance.ended_on
        if started and ended and started > ended:
            self.add_error("started_on", _("The client cannot begin after they ended."))
        return data

    def differences(self, record: Client) -> list[str]:
        """The labels of the fields whose saved value in `record` differs from this form's."""
        return [
            str(field.label)
            for name, field in self.fields.items()
            if name != "version" and self.cleaned_data.get(name) != getattr(record, name)
        ]


class ClientMoveForm(Form):
    FOLLOW, END = "follow", "end"

    unit = forms.ModelChoiceField(label=_("new unit"), queryset=Unit.objects.none())
    moved_on = PastDateField(label=_("date of the move"), initial=timezone.localdate)
    assignment = forms.ChoiceField(
        label=_("the current support person"),
        choices=[
            (FOLLOW, _("Goes on as the client's support person in the new unit")),
            (END, _("Is released on the date of the move")),
        ],
        widget=forms.RadioSelect,
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        client: Client,
        units: QuerySet[Unit],
        current: Assignment | None,
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = {"version": version_of(client), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.client = client
        self.current = current
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if current is None:
            del self.fields["assignment"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_before(
            self,
            "moved_on",
            self.client.started_on,
            _("The date cannot be before the client began (%(day)s)."),
        )
        if self.current is not None and data.get("assignment") == self.END:
            _not_before(
                self,
                "moved_on",
                self.current.started_on,
                _("The date cannot be before the support person was appointed (%(day)s)."),
            )
        return data

    @property
    def assignment_follows(self) -> bool:
        return self.cleaned_data.get("assignment") == self.FOLLOW


class ClientEndForm(Form):
    ended_on = PastDateField(label=_("client until"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("reason for ending"),
        max_length=200,
        help_text=_("No health details: for example “The service ended” or “Moved away”."),
    )
    version = VersionField()

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        kwargs["initial"] = {"version": version_of(client), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.client = client

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dates = self.client.assignments.aggregate(  # type: ignore[attr-defined]
            started=Max("started_on"), ended=Max("ended_on")
        )
        floor = max(
            (d for d in (self.client.started_on, dates["started"], dates["ended"]) if d),
        )
        _not_before(
            self,
            "ended_on",
            floor,
            _("The date cannot be before %(day)s (the client's start or last assignment)."),
        )
        return data
