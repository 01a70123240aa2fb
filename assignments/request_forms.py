"""Forms for requests and appointments: validate and normalise only; the rules are in
services.py (request_create, request_pause, request_appoint ...)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import SEARCH_MAX_LENGTH, Client, Gender, Language, Locality, Unit
from clients.personnummer import normalise_personnummer
from stodperson.forms import DateInput, Form, PastDateField
from supportpersons.models import SupportPerson

from .clock import RequestState
from .forms import SupportPersonChoiceField
from .models import SupportRequest
from .request_list import Status

HEALTH_REASON = _("The patient cannot take a position because of their health.")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (YYYY-MM-DDTHH:MM)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _not_in_future(value: datetime) -> None:
    if value > timezone.now():
        raise ValidationError(_("The time cannot be in the future."), code="future")


class PastDateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    default_validators = [_not_in_future]


def _now() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Client) -> str:  # type: ignore[override]
        return f"{obj.display_name} ({obj.unit.name})"


class RequestForm(Form):
    """A request, for a client in the register or a new one created with it."""

    client = ClientChoiceField(
        label=_("client"),
        queryset=Client.objects.none(),
        required=False,
        empty_label=_("A new client (fill in below)"),
    )
    new_unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    new_first_name = forms.CharField(label=_("first name"), max_length=100, required=False)
    new_last_name = forms.CharField(label=_("last name"), max_length=100, required=False)
    new_personnummer = forms.CharField(
        label=_("personal identity number"),
        max_length=13,
        required=False,
        help_text=_("Optional. Coordination numbers are accepted."),
    )
    new_legal_basis = forms.ChoiceField(
        label=_("legal basis"), choices=Client.LegalBasis.choices, required=False
    )
    received_at = PastDateTimeField(
        label=_("received"),
        initial=_now,
        help_text=_("Date and time; the clock runs from this day."),
    )
    source = forms.ChoiceField(label=_("source"), choices=SupportRequest.Source.choices)
    wished_gender = forms.ChoiceField(
        label=_("wished gender"), choices=[("", _("No wish")), *Gender.choices], required=False
    )
    wished_language = forms.ModelChoiceField(
        label=_("wished language"),
        queryset=Language.objects.all(),
        required=False,
        empty_label=_("No wish"),
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea({"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, clients: QuerySet[Client], units: QuerySet[Unit], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["client"].queryset = clients.select_related("unit")  # type: ignore[attr-defined]
        self.fields["new_unit"].queryset = units  # type: ignore[attr-defined]

    def clean_new_personnummer(self) -> str:
        value: str = self.cleaned_data["new_personnummer"].strip()
        return normalise_personnummer(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = [data.get(n) for n in ("new_unit", "new_first_name", "new_last_name")]
        if data.get("client") is not None:
            if any(new) or data.get("new_personnummer"):
                raise ValidationError(
                    _("Choose a client in the register, or fill in a new one: not both.")
                )
        elif "client" not in self.errors:
            for name in ("new_unit", "new_first_name", "new_last_name"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a new client."))
        return data


class PauseForm(Form):
    """Starts empty: the excused reason (the patient cannot take a position) is a choice the
    user makes, never a default, since it stops the legal clock (domain.md rule 5). Either
    choice is stored as the pause's reason, as before, so the report reads it unchanged."""

    HEALTH = "health"
    OTHER = "other"

    started_on = PastDateField(label=_("paused"))
    kind = forms.ChoiceField(
        label=_("why is the clock paused?"),
        choices=[
            (HEALTH, _("The patient cannot take a position (the delay is excused)")),
            (OTHER, _("Another reason")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("the other reason"),
        max_length=200,
        required=False,
        help_text=_("Needed when the reason is another one."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or (self.OTHER if data.get("reason", "").strip() else "")
        if kind == self.HEALTH:
            data["reason"] = str(HEALTH_REASON)
        elif kind == self.OTHER and not data.get("reason", "").strip():
            self.add_error("reason", _("Write the reason for the pause."))
        elif not kind:
            self.add_error("kind", _("Choose why the clock is paused."))
        data.pop("kind", None)
        return data


class ResumeForm(Form):
    resumed_on = PastDateField(label=_("resumed"), initial=timezone.localdate)


class WithdrawForm(Form):
    withdrawal_kind = forms.ChoiceField(
        label=_("outcome"),
        choices=SupportRequest.WithdrawalKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the request.")},
    )
    withdrawn_at = PastDateTimeField(label=_("withdrawn"), initial=_now)
    withdrawal_reason = forms.CharField(
        label=_("reason for withdrawal"),
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("Give the reason for the withdrawal.")},
    )


class AppointForm(Form):
    support_person = SupportPersonChoiceField(
        label=_("support person"), queryset=SupportPerson.objects.none(), widget=forms.RadioSelect
    )
    started_on = PastDateField(label=_("appointed"), initial=timezone.localdate)
    late_reason = forms.CharField(
        label=_("reason for delay"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Needed when the appointment comes after the deadline."),
    )
    delay_excused = forms.BooleanField(
        label=_("The delay is excused: the patient could not take a position"), required=False
    )

    def __init__(self, *args: Any, request: SupportRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        # Any person of the programme: one who is not active is refused by the service with
        # the reason (ensure_can_be_assigned), rather than as "not a valid choice".
        self.fields["support_person"].queryset = SupportPerson.objects.filter(  # type: ignore[attr-defined]
            programme_id=request.client.unit.programme_id
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started = data.get("started_on")
        if (
            started is not None
            and self.request.clock_if_answered_on(started).is_late
            and not data.get("late_reason", "").strip()
        ):
            self.add_error(
                "late_reason", _("The request is answered after its deadline: give the reason.")
            )
        return data


# Days outside these make no sense for a request, and far ones overflow with time zones.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class RequestFilterForm(Form):
    """The request list's filters, sent with GET. Without a status the open requests are
    listed; an outcome is one of a closed request, so choosing one lists the closed."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Status.OPEN, _("Open requests")),
            (Status.CLOSED, _("Closed requests")),
            (Status.ALL, _("All requests")),
        ],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("", _("Any outcome")),
            (RequestState.ANSWERED_IN_TIME, _("Appointed in time")),
            (RequestState.ANSWERED_LATE, _("Appointed late")),
            (RequestState.EXCUSED, _("Appointed late, delay excused")),
            (RequestState.WITHDRAWN, _("Withdrawn")),
            *SupportRequest.WithdrawalKind.choices,
        ],
        required=False,
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput)
    received_to = forms.DateField(label=_("Received up to"), required=False, widget=DateInput)
    locality = forms.TypedChoiceField(
        label=_("Locality"), coerce=int, required=False, empty_value=None
    )
    name = forms.CharField(
        label=_("The client's name"), required=False, max_length=SEARCH_MAX_LENGTH
    )

    def __init__(self, data: Any = None, *, localities: Iterable[Locality]) -> None:
        if (
            data is not None
            and data.get("outcome")
            and data.get("status") in (None, "", Status.OPEN)
        ):
            data = data.copy()
            data["status"] = Status.CLOSED
        super().__init__(data)
        # The choices are read once, and the choice is checked against them: one query.
        self.fields["locality"].choices = [  # type: ignore[attr-defined]
            ("", _("All localities")),
            *((place.pk, place.name) for place in localities),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("received_from", "received_to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a date between 1900 and 2999."))
        first, last = data.get("received_from"), data.get("received_to")
        if first and last and first > last and not self.has_error("received_to"):
            self.add_error("received_to", _("The last day cannot be before the first."))
        return data

    def chosen(self) -> dict[str, Any]:
        """The filters to apply: those that are valid (a wrong one is said on the page and
        left out), with the open requests when no status is chosen."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or Status.OPEN,
            "outcome": data.get("outcome") or "",
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "locality": data.get("locality"),
            "name": data.get("name") or "",
        }

    @property
    def narrows(self) -> bool:
        """Whether anything else than the default (the open requests) was asked for."""
        chosen = self.chosen()
        return chosen["status"] != Status.OPEN or any(
            chosen[name] for name in ("outcome", "received_from", "received_to", "locality", "name")
        )
