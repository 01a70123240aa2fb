from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodperson.forms import Form, PastDateField


class DutyCheckForm(Form):
    done_on = PastDateField(label=_("done"), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), required=False, max_length=500)
