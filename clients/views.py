"""Recording what is kept about a client: consents, risk follow-ups, deviations. Anyone who
may see the client (its manager, its support person, an administrator) may record them."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.types import AuthenticatedRequest

from .access import get_client_for_user
from .forms import ConsentForm, DeviationForm, RiskMeasureForm

FORMS: dict[str, tuple[type[forms.ModelForm], str | Promise]] = {
    "samtycke": (ConsentForm, gettext_lazy("Record a consent")),
    "risk": (RiskMeasureForm, gettext_lazy("Record a risk assessment or measure")),
    "avvikelse": (DeviationForm, gettext_lazy("Report a deviation")),
}


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def record(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    # Not write=True: the support person records a deviation or a consent too, so recording
    # on a client is open to whoever may see it (the client's read scope).
    client = get_client_for_user(request, pk)
    form_class, title = FORMS[kind]
    # The risk measure's consent is chosen among the client's own.
    extra: dict[str, Any] = {"client": client} if kind == "risk" else {}
    form = form_class(request.POST or None, **extra)
    if form.is_valid():
        item = form.save(commit=False)
        item.client = client
        if kind == "avvikelse":
            item.reported_by = request.user
        if kind == "samtycke":
            item.recorded_by = request.user
        item.save()
        messages.success(request, _("Saved."))
        return redirect("overview:client", pk=client.pk)
    return render(
        request, "clients/record_form.html", {"client": client, "form": form, "title": title}
    )
