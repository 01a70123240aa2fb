"""The forms that act on what is kept about a client: renew and withdraw a consent, follow up
and end a risk assessment or measure, add, edit and end a contact. They validate and
normalise; each says what is wrong at the field (and the page's summary lists it). The
rules are kept once more, on the locked row, by record_services.py. Each form that changes a
record carries the version it was filled in against (stodperson/concurrency.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodperson.concurrency import VersionField, version_of
from stodperson.forms import DateInput, Form, ModelForm, PastDateField, make_swedish

from .models import Client, Consent, Contact, RiskMeasure


def _not_before(form: forms.BaseForm, name: str, floor: date | None, message: Any) -> None:
    value = form.cleaned_data.get(name)
    if value is not None and floor is not None and value < floor and name not in form.errors:
        form.add_error(name, message % {"day": f"{floor:%Y-%m-%d}"})


def consents_to_rest_on(client_id: int) -> QuerySet[Consent]:
    """The consents of a client that a measure or a relative's contact may rest on: current
    (not replaced) and not withdrawn."""
    return Consent.objects.current().filter(client_id=client_id, withdrawn_on__isnull=True)


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        review = f", {_('review by')} {obj.review_on:%Y-%m-%d}" if obj.review_on else ""
        return f"{obj.purpose} ({_('given')} {obj.given_on:%Y-%m-%d}{review})"


def consent_field(client_id: int, *, required: bool, label: Any) -> ConsentChoiceField:
    """Added to a form after it is built, so made Swedish here (stodperson.forms)."""
    field = ConsentChoiceField(
        queryset=consents_to_rest_on(client_id),
        required=required,
        label=label,
        error_messages={
            "invalid_choice": _(
                "Choose one of the client's own consents that is in force (not withdrawn "
                "or renewed)."
            )
        },
    )
    make_swedish(field)
    return field


class VersionedForm(Form):
    version = VersionField()

    def __init__(self, data: Any = None, *, record: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"version": version_of(record), **(kwargs.get("initial") or {})}
        super().__init__(data, **kwargs)
        self.record = record


# --- Consents ------------------------------------------------------------------------------


class ConsentRenewForm(VersionedForm):
    given_on = PastDateField(label=_("given"))
    review_on = forms.DateField(label=_("review by"), widget=DateInput())
    given_by = forms.ChoiceField(label=_("given by"), choices=Consent.GivenBy.choices)
    given_as = forms.ChoiceField(label=_("form"), choices=Consent.Form.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_before(
            self,
            "given_on",
            self.record.given_on,
            _("The renewal cannot be before the consent it renews (%(day)s)."),
        )
        given, review = data.get("given_on"), data.get("review_on")
        if review is not None and "review_on" not in self.errors:
            if given is not None and review <= given:
                self.add_error(
                    "review_on", _("The review date must be after the day the consent was given.")
                )
            elif review <= timezone.localdate():
                self.add_error("review_on", _("The review date must be in the future."))
        return data


class ConsentWithdrawForm(VersionedForm):
    withdrawn_on = PastDateField(label=_("withdrawn"))
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_before(
            self,
            "withdrawn_on",
            self.record.given_on,
            _("A consent cannot be withdrawn before it was given (%(day)s)."),
        )
        return data


# --- Risk assessments and measures ----------------------------------------------------------


class RiskFollowUpForm(VersionedForm):
    followed_up_on = PastDateField(label=_("followed up"))
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    next_follow_up_on = forms.DateField(label=_("next follow-up"), widget=DateInput())

    def __init__(self, data: Any = None, *, record: RiskMeasure, **kwargs: Any) -> None:
        if record.needs_consent:
            kwargs["initial"] = {"consent": record.consent_id, **(kwargs.get("initial") or {})}
        super().__init__(data, record=record, **kwargs)
        if record.needs_consent:
            # SOU 2006:110: without the client's consent there is no basis for the measure.
            self.fields["consent"] = consent_field(
                record.client_id, required=False, label=_("consent it rests on")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        measure: RiskMeasure = self.record
        _not_before(
            self,
            "followed_up_on",
            measure.decided_on,
            _("The follow-up cannot be before the decision (%(day)s)."),
        )
        _not_before(
            self,
            "followed_up_on",
            measure.followed_up_on,
            _("The follow-up cannot be before the last one (%(day)s)."),
        )
        done, following = data.get("followed_up_on"), data.get("next_follow_up_on")
        if (
            following is not None
            and "next_follow_up_on" not in self.errors
            and following <= max(done or timezone.localdate(), timezone.localdate())
        ):
            self.add_error("next_follow_up_on", _("The next follow-up must be in the future."))
        return data


class RiskEndForm(VersionedForm):
    ended_on = PastDateField(label=_("ended"))
    reason = forms.CharField(label=_("reason for ending"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_before(
            self,
            "ended_on",
            self.record.decided_on,
            _("The measure cannot end before it was decided (%(day)s)."),
        )
        return data


# --- Contacts --------------------------------------------------------------------------------


class ContactForm(ModelForm):
    """A contact, new or edited. A relative is contacted on one of the client's consents in
    force; the others by their office, so the consent is asked of relatives only."""

    class Meta:
        model = Contact
        fields = ["role", "name", "phone", "email", "consent"]

    def __init__(self, data: Any = None, *, client: Client, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None:
            kwargs["initial"] = {"version": version_of(instance), **(kwargs.get("initial") or {})}
        super().__init__(data, **kwargs)
        self.fields["consent"] = consent_field(
            client.pk, required=False, label=_("consent to contact")
        )
        self.fields["consent"].help_text = _(
            "For a relative: the client's consent to contact them."
        )
        if instance is not None:
            self.fields["version"] = VersionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Contact.Role.RELATIVE:
            if data.get("consent") is None and "consent" not in self.errors:
                self.add_error(
                    "consent", _("Choose the consent that allows contacting the relative.")
                )
        else:
            data["consent"] = None
        return data


class ContactEndForm(VersionedForm):
    ended_on = PastDateField(label=_("ended"))
    reason = forms.CharField(label=_("reason for ending"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_before(
            self,
            "ended_on",
            self.record.client.started_on,
            _("The contact cannot end before the client's record began (%(day)s)."),
        )
        return data
