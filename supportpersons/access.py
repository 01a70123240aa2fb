"""Record-level access to the pool and training events: 404 for "not yours" and "does not
exist" alike, 403 for a write to a record the user sees but may not change (the scopes:
SupportPersonQuerySet.scope, TrainingEventQuerySet.scope)."""

from stodperson.access import get_for_user
from stodperson.types import AuthenticatedRequest

from .models import SupportPerson, TrainingEvent


def get_support_person_for_user(
    request: AuthenticatedRequest, pk: int, *, write: bool = False
) -> SupportPerson:
    """A person of the pool the user may see (administrators anyone, a unit manager the pool
    of their units' programmes) or, with write=True, act on."""
    return get_for_user(
        request.user,
        SupportPerson.objects.select_related("locality", "programme", "unit"),
        pk,
        write=write,
    )


def get_training_event_for_user(
    request: AuthenticatedRequest, pk: int, *, write: bool = False
) -> TrainingEvent:
    """Training events are the administrators' (TrainingEventQuerySet.scope)."""
    return get_for_user(
        request.user,
        TrainingEvent.objects.select_related("locality", "programme"),
        pk,
        write=write,
    )
