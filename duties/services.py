"""Writes on the duty checklist: a tick, and taking a tick back the same day."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment
from stodperson.errors import ServiceError, check_done_date

from .models import DutyCheck, DutyTemplate


@transaction.atomic
def duty_check_create(
    *,
    assignment: Assignment,
    template: DutyTemplate,
    done_on: date,
    note: str = "",
    by: User,
) -> DutyCheck:
    if not assignment.is_active:
        raise ServiceError(_("The assignment has ended; its checklist can no longer be ticked."))
    if template.programme_id != assignment.client.unit.programme_id or not template.is_active:
        raise ServiceError(_("That duty is not on this client's checklist."))
    check_done_date(done_on, not_before=assignment.started_on, what=_("The date"))
    if (
        DutyCheck.objects.current()
        .filter(assignment=assignment, template=template, done_on=done_on)
        .exists()
    ):
        raise ServiceError(_("The duty is already ticked for that day."))
    return DutyCheck.objects.create(
        assignment=assignment, template=template, done_on=done_on, note=note, by=by
    )


@transaction.atomic
def duty_check_withdraw(*, check: DutyCheck, by: User) -> DutyCheck:
    """A tick made by mistake can be withdrawn the same day by the one who made it; it stays
    in the history as withdrawn."""
    check = DutyCheck.objects.select_for_update().get(pk=check.pk)
    if check.withdrawn_at is not None:
        raise ServiceError(_("The tick has already been withdrawn."))
    if check.by_id != by.pk:
        raise ServiceError(_("Only the person who made the tick can withdraw it."))
    if timezone.localdate(check.created_at) != timezone.localdate():
        raise ServiceError(_("A tick can only be withdrawn the same day it was made."))
    check.withdrawn_at = timezone.now()
    check.withdrawn_by = by  # type: ignore[assignment]
    check.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return check
