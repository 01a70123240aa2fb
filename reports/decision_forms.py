"""The forms of the decisions under delegation: the period of the committee's list, and the
office's completion of one decision (the dates the parties were told, the reasons)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Decision
from clients.models import Programme
from stodperson.concurrency import VersionField, version_of
from stodperson.forms import DateInput, Form, PastDateField

# A year and a day: the longest period one list covers (a leap year's tertials and years).
LONGEST_PERIOD = timedelta(days=366)


def default_period(today: date) -> tuple[date, date]:
    """Since the first day of the previous month: a committee meeting monthly reads the
    decisions since its last meeting."""
    first_of_month = today.replace(day=1)
    previous = (first_of_month - timedelta(days=1)).replace(day=1)
    return previous, today


class PeriodForm(Form):
    first = forms.DateField(label=_("from"), widget=DateInput(), required=False)
    last = forms.DateField(label=_("to"), widget=DateInput(), required=False)
    programme = forms.ModelChoiceField(
        label=_("programme"),
        queryset=Programme.objects.filter(kind=Programme.Kind.PATIENT_COMMITTEE),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default_first, default_last = default_period(timezone.localdate())
        first = data.get("first") or default_first
        last = data.get("last") or default_last
        if first > last:
            self.add_error("last", _("The end of the period cannot be before its start."))
        elif last - first > LONGEST_PERIOD:
            self.add_error("last", _("Choose a period of at most one year."))
        data["first"], data["last"] = first, last
        return data


class DecisionForm(Form):
    reasons = forms.CharField(
        label=_("reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("They stand in the letters: no health details."),
    )
    patient_notified_on = PastDateField(label=_("patient notified"), required=False)
    volunteer_notified_on = PastDateField(label=_("support person notified"), required=False)
    ward_notified_on = PastDateField(label=_("ward notified"), required=False)
    version = VersionField()

    PATIENT_FIELDS = ("patient_notified_on", "ward_notified_on")

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "reasons": decision.reasons,
                "patient_notified_on": decision.patient_notified_on,
                "volunteer_notified_on": decision.volunteer_notified_on,
                "ward_notified_on": decision.ward_notified_on,
                "version": version_of(decision),
            },
        )
        super().__init__(*args, **kwargs)
        self.decision = decision
        if not decision.concerns_patient:
            for name in self.PATIENT_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        floor = self.decision.decided_on
        for name in ("patient_notified_on", "volunteer_notified_on", "ward_notified_on"):
            value = data.get(name)
            if value is not None and value < floor:
                self.add_error(
                    name,
                    _("The date cannot be before the decision (%(day)s).")
                    % {"day": f"{floor:%Y-%m-%d}"},
                )
        return data
