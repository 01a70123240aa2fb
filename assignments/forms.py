"""Forms for the unit manager's and the support person's work."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stodperson.forms import Form, ModelForm, PastDateField
from supportpersons.models import SupportPerson

from .models import Assignment, SatisfactionFollowUp, SupportPersonChange


class SupportPersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SupportPerson) -> str:  # type: ignore[override]
        return obj.display_name


class AssignForm(Form):
    support_person = SupportPersonChoiceField(
        label=_("support person"), queryset=SupportPerson.objects.none(), widget=forms.RadioSelect
    )
    started_on = PastDateField(label=_("appointed"), initial=timezone.localdate)

    def __init__(self, *args: Any, candidates: QuerySet[SupportPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_person"].queryset = candidates  # type: ignore[attr-defined]


class ChangeForm(Form):
    """Byte av stödperson: the routine's checklist of who must be told."""

    successor = SupportPersonChoiceField(
        label=_("new support person"),
        queryset=SupportPerson.objects.none(),
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("reason"), choices=SupportPersonChange.Reason.choices)
    reason_note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea({"rows": 2})
    )
    changed_on = PastDateField(label=_("date of change"), initial=timezone.localdate)
    client_informed_on = PastDateField(
        label=_("client informed"),
        help_text=_("The support person tells the client in good time before the change."),
    )
    good_man_informed_on = PastDateField(label=_("god man informed"), required=False)
    relatives_informed_on = PastDateField(label=_("relatives informed"), required=False)
    case_officer_informed_on = PastDateField(label=_("case officer informed"), required=False)

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet[SupportPerson],
        contact_roles: set[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = candidates  # type: ignore[attr-defined]
        # Routine A: "Vid behov: informera godemän, anhöriga och handläggare" — asked for
        # when the client has such a contact.
        self.required_contacts = {
            "good_man_informed_on": bool({"god_man", "forvaltare"} & contact_roles),
            "relatives_informed_on": "narstaende" in contact_roles,
            "case_officer_informed_on": bool(
                {"handlaggare_kommun", "handlaggare_fk"} & contact_roles
            ),
        }
        for name, needed in self.required_contacts.items():
            if needed:
                self.fields[name].help_text = _("The client has such a contact: record the date.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        changed: date | None = data.get("changed_on")
        informed: date | None = data.get("client_informed_on")
        if changed and informed and informed > changed:
            self.add_error(
                "client_informed_on", _("The client must be informed before the change.")
            )
        for name, needed in self.required_contacts.items():
            if needed and not data.get(name) and name not in self.errors:
                self.add_error(
                    name, _("The client has such a contact: record when they were told.")
                )
        return data


class SatisfactionForm(ModelForm):
    on = PastDateField(label=_("date"), initial=timezone.localdate)

    class Meta:
        model = SatisfactionFollowUp
        fields = ["on", "outcome", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DeactivateForm(Form):
    on = PastDateField(label=_("deactivated"), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason"), max_length=200)


class EndAssignmentForm(Form):
    ended_on = PastDateField(label=_("released"), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("reason"),
        # A change and a move are released by their own steps, which record more.
        choices=[
            c
            for c in Assignment.EndReason.choices
            if c[0] not in (Assignment.EndReason.CHANGE, Assignment.EndReason.CLIENT_MOVED)
        ],
    )
