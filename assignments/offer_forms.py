"""Forms of the offers: the office's offer to chosen candidates, the reason of a volunteer
who declines, and the appointment from an acceptance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stodperson.forms import Form
from supportpersons.models import SupportPerson

from .models import SupportRequest


class OfferForm(Form):
    support_persons = forms.ModelMultipleChoiceField(
        label=_("support persons"),
        queryset=SupportPerson.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one support person.")},
    )
    message = forms.CharField(
        label=_("message to the support persons"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_(
            "Shown in the app with the offer, never in the mail. Write nothing about the "
            "patient's health or identity."
        ),
    )

    def __init__(self, *args: Any, request: SupportRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Anyone of the programme: one who may not be offered is refused by the service
        # with the reason (offer_blockers), rather than as "not a valid choice".
        self.fields["support_persons"].queryset = SupportPerson.objects.filter(  # type: ignore[attr-defined]
            programme_id=request.client.unit.programme_id
        )


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("reason for declining"),
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": _("Give the reason for declining.")},
        help_text=_("For the office only, e.g. no time this month, or too far away."),
    )


class OfferAppointForm(Form):
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
