"""The flags page: the open flags the user may see, to follow up.

Administrators see every flag, a unit manager those of their units' clients, a support
person those of their own clients (Flag.objects.visible_to). The counts per kind are the
same function the dashboard and the digest use (checks.open_flag_counts)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.log import note_reads
from audit.models import ReadLogEntry
from clients.models import Unit
from stodperson import roles
from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.forms import Form
from stodperson.paging import paginate

from .checks import open_flag_counts
from .models import Flag

FLAGS_PER_PAGE = 25


class FlagFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("All kinds")), *Flag.Kind.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    older_than = forms.TypedChoiceField(
        label=_("age"),
        choices=[
            ("", _("Any age")),
            ("7", _("Older than 7 days")),
            ("30", _("Older than 30 days")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles.is_administrator(user) or roles.is_unit_manager(user):
            self.fields["unit"].queryset = Unit.objects.visible_to(user)  # type: ignore[attr-defined]
        else:
            # A support person's flags are those of their own clients: no units to choose.
            del self.fields["unit"]


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def flag_list(request: HttpRequest) -> HttpResponse:
    flags = Flag.objects.visible_to(request.user).open()
    form = FlagFilterForm(request.GET or None, user=request.user)
    kind = ""
    if form.is_valid():
        if form.cleaned_data.get("unit"):
            flags = flags.filter(client__unit=form.cleaned_data["unit"])
        if form.cleaned_data["older_than"]:
            since = timezone.now() - timedelta(days=form.cleaned_data["older_than"])
            flags = flags.filter(raised_at__lt=since)
        kind = form.cleaned_data["kind"]
    # The counts follow the unit and age filters but not the kind, so they work as tabs.
    counts = open_flag_counts(flags)
    if kind:
        flags = flags.filter(kind=kind)
    page, query = paginate(
        request,
        flags.select_related("client__unit", "support_person").order_by("raised_at", "id"),
        FLAGS_PER_PAGE,
    )
    # The support persons named by the flags on a person alone (administrators only).
    note_reads(
        request,
        ReadLogEntry.Subject.SUPPORT_PERSON,
        [flag.support_person for flag in page if flag.client_id is None and flag.support_person],
    )
    without_kind = query.copy()
    without_kind.pop("kind", None)
    return render(
        request,
        "flags/flags.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "total": sum(count.number for count in counts),
            "kind": kind,
            "query": query.urlencode(),
            "query_without_kind": without_kind.urlencode(),
        },
    )
