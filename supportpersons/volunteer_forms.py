"""The forms of the volunteer's account (issue 16): the password from an invitation, the
undertaking, their own details, and the office's record of a renewed background check.
They validate and normalise only; the rules are in invitations.py and volunteers.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from stodperson.concurrency import VersionField, version_of
from stodperson.forms import Form, ModelForm, PastDateField

from .models import RecruitmentStep, SupportPerson


class InvitationPasswordForm(Form):
    password1 = forms.CharField(
        label=_("new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("new password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class UndertakingForm(Form):
    accept = forms.BooleanField(
        label=_("I have read the confidentiality undertaking and accept it"),
        error_messages={"required": _("Tick the box to accept the undertaking.")},
    )
    # The version shown: a newer one published meanwhile must be read first.
    version = forms.IntegerField(widget=forms.HiddenInput)


class VolunteerDetailsForm(ModelForm):
    """What the volunteer keeps up to date themselves."""

    version = VersionField()

    class Meta:
        model = SupportPerson
        fields = ["phone", "email"]

    def __init__(self, data: Any = None, *, instance: SupportPerson, **kwargs: Any) -> None:
        kwargs["initial"] = {"version": version_of(instance), **(kwargs.get("initial") or {})}
        super().__init__(data, instance=instance, **kwargs)
        self.fields["email"].required = True


class BackgroundCheckForm(Form):
    checked_on = PastDateField(label=_("date of the extract"))
    outcome = forms.ChoiceField(label=_("outcome"), choices=RecruitmentStep.Outcome.choices)
