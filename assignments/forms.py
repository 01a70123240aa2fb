"""Forms for the unit manager's and the support person's work."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Unit
from stodperson.forms import PastDateField
from supportpersons.models import SupportPerson

from .models import Assignment, Flag, SatisfactionFollowUp, SupportPersonChange


class ClientFilter(django_filters.FilterSet):
    """The client list's filters; the queryset it filters is already limited to the user."""

    q = django_filters.CharFilter(label=_("Search by name"), method="filter_search")
    unit = django_filters.ModelChoiceFilter(
        label=_("unit"), queryset=Unit.objects.none(), empty_label=_("All units")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[("active", _("Active")), ("ended", _("Ended"))],
        method="filter_status",
        empty_label=_("All"),
    )
    flag = django_filters.ChoiceFilter(
        label=_("open flag"), choices=Flag.Kind.choices, method="filter_flag", empty_label=_("Any")
    )
    has_support_person = django_filters.ChoiceFilter(
        label=_("support person"),
        choices=[("yes", _("Has a support person")), ("no", _("Without support person"))],
        method="filter_has_support_person",
        empty_label=_("All"),
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(request.user)  # type: ignore[attr-defined]

    def filter_search(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        return queryset.search(value)  # type: ignore[attr-defined]

    def filter_status(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        today = timezone.localdate()
        active = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        return queryset.filter(active) if value == "active" else queryset.exclude(active)

    def filter_flag(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        return queryset.filter(pk__in=Flag.objects.open().filter(kind=value).values("client_id"))

    def filter_has_support_person(
        self, queryset: QuerySet[Client], name: str, value: str
    ) -> QuerySet[Client]:
        with_person = Q(pk__in=Assignment.objects.active().values("client_id"))
        return queryset.filter(with_person) if value == "yes" else queryset.exclude(with_person)


class SupportPersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SupportPerson) -> str:  # type: ignore[override]
        return obj.display_name


class AssignForm(forms.Form):
    support_person = SupportPersonChoiceField(
        label=_("support person"), queryset=SupportPerson.objects.none(), widget=forms.RadioSelect
    )
    started_on = PastDateField(label=_("appointed"), initial=timezone.localdate)

    def __init__(self, *args: Any, candidates: QuerySet[SupportPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_person"].queryset = candidates  # type: ignore[attr-defined]


class ChangeForm(forms.Form):
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


class DutyCheckForm(forms.Form):
    done_on = PastDateField(label=_("done"), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class SatisfactionForm(forms.ModelForm):
    on = PastDateField(label=_("date"), initial=timezone.localdate)

    class Meta:
        model = SatisfactionFollowUp
        fields = ["on", "outcome", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DeactivateForm(forms.Form):
    on = PastDateField(label=_("deactivated"), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason"), max_length=200)


class EndAssignmentForm(forms.Form):
    ended_on = PastDateField(label=_("released"), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=[c for c in Assignment.EndReason.choices if c[0] != Assignment.EndReason.CHANGE],
    )
