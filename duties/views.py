"""The duty checklist: the support person ticks a duty (htmx swaps the row; without
JavaScript the page reloads) and can take a tick back the same day. The support person's
start page ticks through the same two views: its forms say so (return_to=start), and the
answer is its own row, or without JavaScript a redirect back to the start page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.access import get_assignment_for_user
from assignments.models import Assignment
from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.errors import ServiceError
from stodperson.types import AuthenticatedRequest

from . import checklist as screens
from . import services
from .access import get_assignment_to_tick, get_duty_check_for_user
from .forms import DutyCheckForm
from .models import DutyCheck, DutyTemplate


@role_required(SUPPORT_PERSON, MANAGER, ADMINISTRATOR)
def checklist(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_user(request, pk)
    rows = screens.checklist(assignment, today=timezone.localdate(), user_id=request.user.pk)
    return render(
        request,
        "duties/checklist.html",
        {
            "assignment": assignment,
            "client": assignment.client,
            "rows": rows,
            "groups": screens.grouped(rows),
            "can_tick": assignment.support_person.user_id == request.user.pk,
            "form": DutyCheckForm(),
        },
    )


@require_POST
@role_required(SUPPORT_PERSON)
def tick(request: AuthenticatedRequest, pk: int, template_pk: int) -> HttpResponse:
    assignment = get_assignment_to_tick(request, pk)
    template = get_object_or_404(
        DutyTemplate, pk=template_pk, programme_id=assignment.client.unit.programme_id
    )
    form = DutyCheckForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.duty_check_create(
                assignment=assignment, template=template, by=request.user, **form.cleaned_data
            )
        except ServiceError as failure:
            error = failure.message
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    done = _("%(duty)s for %(client)s: marked as done.")
    return _checklist_answer(request, assignment, template, error, done=done)


@require_POST
@role_required(SUPPORT_PERSON)
def withdraw(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    assignment = get_assignment_to_tick(request, pk)
    check = get_duty_check_for_user(
        request,
        check_pk,
        write=True,
        queryset=DutyCheck.objects.select_related("template").filter(assignment=assignment),
    )
    error = None
    try:
        services.duty_check_withdraw(check=check, by=request.user)
    except ServiceError as failure:
        error = failure.message
    done = _("%(duty)s for %(client)s: today's tick has been undone.")
    return _checklist_answer(request, assignment, check.template, error, done=done)


# The start page a tick can come from (overview's my_clients, named here as a URL only: the
# duties app stands below overview), and the row it shows a duty in.
START_PAGE = "overview:my_clients"
START_ROW = "duties/includes/due_row.html"


def _checklist_answer(
    request: AuthenticatedRequest,
    assignment: Assignment,
    template: DutyTemplate,
    error: str | None,
    *,
    done: str,
) -> HttpResponse:
    """htmx swaps the one row; without JavaScript the page reloads with a message. From the
    start page: its own row, or a redirect back to it with what was done."""
    from_start = request.POST.get("return_to") == "start"
    done = done % {"duty": template.title, "client": assignment.client.display_name}
    if request.htmx:  # type: ignore[attr-defined]
        row = screens.checklist_row(
            assignment, template, today=timezone.localdate(), user_id=request.user.pk
        )
        if from_start:
            return render(
                request,
                START_ROW,
                {"due": screens.DueDuty(assignment, row), "error": error, "announcement": done},
            )
        return render(
            request,
            "duties/includes/checklist_row.html",
            {
                "row": row,
                "assignment": assignment,
                "can_tick": True,
                "error": error,
                "announce": True,
                "form": DutyCheckForm(),
            },
        )
    if error:
        messages.error(request, error)
    elif from_start:
        messages.success(request, done)
    else:
        messages.success(request, _("The checklist has been updated."))
    if from_start:
        return redirect(START_PAGE)
    return redirect("duties:checklist", pk=assignment.pk)
