from django import forms
from django.utils.translation import gettext_lazy as _

from stodperson.forms import DateInput

from .models import ReadLogEntry


class LogFilterForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("record type"),
        choices=[("", _("All")), *ReadLogEntry.Subject.choices],
        required=False,
    )
    subject_id = forms.IntegerField(label=_("record number"), required=False, min_value=1)
    username = forms.CharField(label=_("user name"), required=False, max_length=150)
    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput)
