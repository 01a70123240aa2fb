"""The duty checklist: the support person ticks a duty (htmx swaps the row; without
JavaScript the page reloads) and can take a tick back the same day."""

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
    return _checklist_answer(request, assignment, template, error)


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
    return _checklist_answer(request, assignment, check.template, error)


def _checklist_answer(
    request: AuthenticatedRequest, assignment: Assignment, template: DutyTemplate, error: str | None
) -> HttpResponse:
    """htmx swaps the one row; without JavaScript the page reloads with a message."""
    if request.htmx:  # type: ignore[attr-defined]
        row = screens.checklist_row(
            assignment, template, today=timezone.localdate(), user_id=request.user.pk
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
    else:
        messages.success(request, _("The checklist has been updated."))
    return redirect("duties:checklist", pk=assignment.pk)
