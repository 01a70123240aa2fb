from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stodperson.forms import DateInput, Form

from .models import ReadLogEntry

# Dates outside these make no sense for the log, and far ones overflow with time zones.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class LogFilterForm(Form):
    subject = forms.ChoiceField(
        label=_("record type"),
        choices=[("", _("All")), *ReadLogEntry.Subject.choices],
        required=False,
    )
    subject_id = forms.IntegerField(
        label=_("record number"), required=False, min_value=1, max_value=2**63 - 1
    )
    username = forms.CharField(label=_("user name"), required=False, max_length=150)
    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a date between 1900 and 2999."))
        return data
