"""The forms of a deviation's steps (clients/deviation_services.py). Each carries the version
of the deviation it was filled in against and a date of something done: not in the future
(PastDateField) and not before the step before it. They validate and normalise only; the
order of the steps is the services'."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodperson.concurrency import VersionField, version_of
from stodperson.forms import Form, PastDateField

from .records import Deviation


class DeviationStepForm(Form):
    """A step: its date, and the version it was filled in against."""

    version = VersionField()
    on = PastDateField(label=_("date"))

    date_label: Any = _("date")
    # The message when the date is before the step before it; %(day)s is that day.
    too_early: Any = _("The date cannot be before %(day)s.")

    def __init__(self, data: Any = None, *, deviation: Deviation, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "version": version_of(deviation),
            "on": timezone.localdate(),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(data, **kwargs)
        self.deviation = deviation
        self.fields["on"].label = str(self.date_label)[:1].upper() + str(self.date_label)[1:]

    def floor(self) -> date | None:
        """The first day the step's date may be."""
        return None

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        floor = self.floor()
        if floor is not None and on < floor:
            raise forms.ValidationError(self.too_early % {"day": f"{floor:%Y-%m-%d}"})
        return on


class InvestigateForm(DeviationStepForm):
    date_label = _("investigation started")
    too_early = _(
        "The investigation cannot start before the deviation occurred and was reported (%(day)s)."
    )

    def floor(self) -> date | None:
        return max(self.deviation.reported_on, self.deviation.occurred_on)


class DecideForm(DeviationStepForm):
    YES, NO = "yes", "no"

    findings = forms.CharField(
        label=_("findings of the investigation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_serious = forms.ChoiceField(
        label=_("is it a serious wrong (allvarligt missförhållande)?"),
        choices=[(YES, _("Yes: report it to IVO")), (NO, _("No"))],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("A serious wrong is reported to IVO as soon as possible (LSS 24 f §)."),
    )
    measures = forms.CharField(label=_("measures taken"), widget=forms.Textarea(attrs={"rows": 3}))

    date_label = _("measures decided")
    too_early = _("The decision cannot be before the investigation started (%(day)s).")

    field_order = ["findings", "is_serious", "measures", "on", "version"]

    def __init__(self, data: Any = None, *, deviation: Deviation, **kwargs: Any) -> None:
        super().__init__(data, deviation=deviation, **kwargs)
        self.fields["measures"].error_messages["required"] = _("Write the measures taken.")
        if not deviation.is_lex_sarah:
            del self.fields["is_serious"]

    def floor(self) -> date | None:
        return self.deviation.investigated_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.deviation.is_lex_sarah:
            if not (data.get("findings") or "").strip():
                self.add_error("findings", _("Write what the investigation found."))
            if not data.get("is_serious"):
                self.add_error("is_serious", _("Say whether it is a serious wrong."))
        return data

    @property
    def serious(self) -> bool | None:
        answer = self.cleaned_data.get("is_serious")
        return {self.YES: True, self.NO: False}.get(answer or "")


class IvoReportForm(DeviationStepForm):
    date_label = _("reported to IVO")
    too_early = _("The report to IVO cannot be before the decision (%(day)s).")

    def floor(self) -> date | None:
        return self.deviation.measures_decided_on


class CloseForm(DeviationStepForm):
    date_label = _("closed")
    too_early = _("The deviation cannot be closed before %(day)s.")

    def floor(self) -> date | None:
        days = [self.deviation.measures_decided_on, self.deviation.ivo_reported_on]
        known = [day for day in days if day is not None]
        return max(known) if known else None
