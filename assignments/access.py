"""Record-level access to requests and assignments: 404 for "not yours" and "does not
exist" alike, 403 for a write to a record the user sees but may not change (the scopes:
SupportRequestQuerySet.scope, AssignmentQuerySet.scope)."""

from stodperson.access import get_for_user
from stodperson.types import AuthenticatedRequest

from .models import Assignment, SupportRequest


def get_assignment_for_user(
    request: AuthenticatedRequest, pk: int, *, write: bool = False
) -> Assignment:
    """An assignment the user may see, or (write=True) release and follow up."""
    return get_for_user(
        request.user,
        Assignment.objects.select_related("client__unit__programme", "support_person"),
        pk,
        write=write,
    )


def get_request_for_user(
    request: AuthenticatedRequest, pk: int, *, write: bool = False
) -> SupportRequest:
    """A request the user may see, or (write=True) pause, resume, withdraw and answer."""
    return get_for_user(
        request.user,
        SupportRequest.objects.select_related(
            "client__unit__programme",
            "wished_language",
            "registered_by",
            # The answer, for the clock and the page: no query of its own.
            "assignment__support_person",
            "assignment__decided_by",
        ),
        pk,
        write=write,
    )
