"""Record-level access to the checklist: 404 for "not yours" and "does not exist" alike,
403 for a tick on a checklist the user sees but is not theirs to tick (the scope:
DutyCheckQuerySet.scope and tick_scope)."""

from assignments.models import Assignment
from stodperson.access import get_for_user, get_in_reach
from stodperson.types import AuthenticatedRequest

from .models import DutyCheck, DutyCheckQuerySet, tick_scope


def get_assignment_to_tick(request: AuthenticatedRequest, pk: int) -> Assignment:
    """The assignment whose checklist the user ticks: in sight as any assignment is
    (AssignmentQuerySet.scope), writable by tick_scope, the duty check's write scope."""
    assignments = Assignment.objects.select_related("client__unit__programme", "support_person")
    return get_in_reach(
        pk,
        visible=assignments.visible_to(request.user),
        writable=assignments.filter(tick_scope(request.user)),
    )


def get_duty_check_for_user(
    request: AuthenticatedRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: DutyCheckQuerySet | None = None,
) -> DutyCheck:
    """A tick the user may see, or (write=True) take back; `queryset` narrows it further."""
    base = queryset if queryset is not None else DutyCheck.objects.all()
    return get_for_user(request.user, base, pk, write=write)
