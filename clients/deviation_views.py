"""A deviation's page and its steps (issue 15, item 1). Whoever sees the client sees its
deviations (the client's read scope); the unit manager of the client's unit takes the steps
(investigate, decide the measures, report to IVO, close). A support person of the client is
out of role for a step (403), anyone else out of reach (404); administrators read all and
take no step, since the steps are the unit's decisions (SOSFS 2011:5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.log import note_reads
from audit.models import ReadLogEntry
from stodperson.access import get_in_reach
from stodperson.concurrency import StaleVersion, version_of
from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.errors import ServiceError
from stodperson.types import AuthenticatedRequest

from . import deviation_services as services
from .deviation_forms import (
    CloseForm,
    DecideForm,
    DeviationStepForm,
    InvestigateForm,
    IvoReportForm,
)
from .models import Client, Unit
from .records import Deviation

_RELATED = (
    "client__unit__programme",
    "reported_by",
    "investigated_by",
    "measures_decided_by",
    "ivo_reported_by",
    "closed_by",
)


def get_deviation_for_user(
    request: AuthenticatedRequest, pk: int, *, write: bool = False
) -> Deviation:
    """A deviation whose client the user may see, or (write=True) whose client's unit the
    user manages; 404 out of reach, 403 for a step on one that may only be read."""
    user = request.user
    deviations = Deviation.objects.select_related(*_RELATED)
    deviation = get_in_reach(
        pk,
        visible=deviations.filter(client__in=Client.objects.visible_to(user)),
        writable=deviations.filter(client__unit__in=Unit.objects.filter(managers=user))
        if write
        else None,
    )
    note_reads(request, ReadLogEntry.Subject.CLIENT, [deviation.client])
    return deviation


class Step:
    """A step of the handling: its form, its service and what the page calls it."""

    def __init__(
        self,
        form: type[DeviationStepForm],
        title: str | Promise,
        done: str | Promise,
        act: Callable[..., Deviation],
        fields: Callable[[Any], dict[str, Any]] = lambda form: {},
    ) -> None:
        self.form, self.title, self.done, self.act, self.fields = form, title, done, act, fields


STEPS: dict[str, Step] = {
    "investigate": Step(
        InvestigateForm,
        gettext_lazy("Start the investigation"),
        gettext_lazy("The deviation is under investigation."),
        services.deviation_investigate,
    ),
    "decide": Step(
        DecideForm,
        gettext_lazy("Record the findings and the measures"),
        gettext_lazy("The measures have been recorded."),
        services.deviation_decide_measures,
        lambda form: {
            "measures": form.cleaned_data["measures"],
            "findings": form.cleaned_data.get("findings") or "",
            "is_serious": form.serious,
        },
    ),
    "ivo": Step(
        IvoReportForm,
        gettext_lazy("Record the report to IVO"),
        gettext_lazy("The report to IVO has been recorded."),
        services.deviation_report_to_ivo,
    ),
    "close": Step(
        CloseForm,
        gettext_lazy("Close the deviation"),
        gettext_lazy("The deviation has been closed."),
        services.deviation_close,
    ),
}


def _page(
    request: AuthenticatedRequest,
    deviation: Deviation,
    *,
    step: str | None,
    form: DeviationStepForm | None,
    may_act: bool,
) -> HttpResponse:
    return render(
        request,
        "clients/deviation.html",
        {
            "deviation": deviation,
            "client": deviation.client,
            "client_name": deviation.client.name_for(request.user),
            "step": step,
            "step_title": STEPS[step].title if step else "",
            "form": form,
            "may_act": may_act,
            "history": deviation.history.select_related("history_user")[:15],  # type: ignore[attr-defined]
        },
    )


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def deviation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    deviation = get_deviation_for_user(request, pk)
    step = deviation.next_step
    may_act = (
        step is not None
        and Unit.objects.filter(managers=request.user, pk=deviation.client.unit_id).exists()
    )
    form = STEPS[step].form(deviation=deviation) if step and may_act else None
    return _page(request, deviation, step=step, form=form, may_act=may_act)


@role_required(ADMINISTRATOR, MANAGER, SUPPORT_PERSON)
def deviation_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """One step, posted from the deviation's page. A GET shows the page with this step's
    form; a step out of order is refused with a message and nothing saved."""
    deviation = get_deviation_for_user(request, pk, write=True)
    chosen = STEPS[step]
    form = chosen.form(request.POST or None, deviation=deviation)
    if request.method == "POST" and request.POST.get("version") != version_of(deviation):
        # Someone saved in between (perhaps took this very step): say that first.
        deviation, form = _refilled(request, chosen, deviation, StaleVersion())
    elif request.method == "POST" and step != deviation.next_step:
        # Said at once, before the fields: what is wrong is the step, not the input.
        form.is_valid()
        form.add_error(None, _out_of_order(deviation))
    elif form.is_valid():
        try:
            chosen.act(
                deviation=deviation,
                on=form.cleaned_data["on"],
                version=form.cleaned_data["version"],
                by=request.user,
                **chosen.fields(form),
            )
        except StaleVersion as stale:
            deviation, form = _refilled(request, chosen, deviation, stale)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, str(chosen.done))
            return redirect("clients:deviation", pk=deviation.pk)
    return _page(request, deviation, step=step, form=form, may_act=True)


def _out_of_order(deviation: Deviation) -> str:
    if deviation.next_step is None:
        return _("The deviation is closed: no step is left to take.")
    return _(
        "This step cannot be taken now: the status of the deviation is “%(status)s”. The "
        "next step is: %(next)s."
    ) % {
        "status": deviation.get_status_display(),
        "next": str(STEPS[deviation.next_step].title).lower(),
    }


def _refilled(
    request: AuthenticatedRequest, step: Step, deviation: Deviation, stale: StaleVersion
) -> tuple[Deviation, DeviationStepForm]:
    """The deviation as saved now, and the form again after someone else saved in between:
    what this user wrote, against what is saved now, with the message; a second save is then
    a decision taken knowingly."""
    fresh = Deviation.objects.select_related(*_RELATED).get(pk=deviation.pk)
    data = request.POST.copy()
    data["version"] = version_of(fresh)
    refilled = step.form(data, deviation=fresh)
    refilled.is_valid()
    refilled.add_error(None, stale.message)
    return fresh, refilled
