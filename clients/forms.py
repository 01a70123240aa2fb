"""Forms for what is recorded about a client: consents, risk measures, deviations."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stodperson.forms import DateInput, PastDateField

from .models import Consent, Deviation, RiskMeasure


class ConsentForm(forms.ModelForm):
    given_on = PastDateField(label=_("given"))

    class Meta:
        model = Consent
        fields = ["purpose", "given_on", "review_on", "note"]
        widgets = {"review_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, review = data.get("given_on"), data.get("review_on")
        if given and review and review < given:
            self.add_error("review_on", _("The review date cannot be before the consent."))
        return data


class RiskMeasureForm(forms.ModelForm):
    decided_on = PastDateField(label=_("decided"))
    followed_up_on = PastDateField(label=_("last followed up"), required=False)

    class Meta:
        model = RiskMeasure
        fields = ["kind", "description", "decided_on", "follow_up_on", "followed_up_on"]
        widgets = {"follow_up_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decided = data.get("decided_on")
        for name in ("follow_up_on", "followed_up_on"):
            value = data.get(name)
            if decided and value and value < decided:
                self.add_error(name, _("The date cannot be before the decision."))
        return data


class DeviationForm(forms.ModelForm):
    occurred_on = PastDateField(label=_("occurred"))

    class Meta:
        model = Deviation
        fields = ["occurred_on", "category", "description", "measures"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 2}),
        }
