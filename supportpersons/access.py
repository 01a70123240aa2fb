"""Record-level access to the pool: 404 for "not yours" and "does not exist" alike."""

from django.shortcuts import get_object_or_404

from stodperson.types import AuthenticatedRequest

from .models import SupportPerson, TrainingEvent


def get_support_person_for_user(request: AuthenticatedRequest, pk: int) -> SupportPerson:
    """A person of the pool the user may see: administrators anyone, a unit manager the
    pool of their units' programmes (SupportPerson.objects.visible_to)."""
    return get_object_or_404(
        SupportPerson.objects.visible_to(request.user).select_related(
            "locality", "programme", "unit"
        ),
        pk=pk,
    )


def get_event(request: AuthenticatedRequest, pk: int) -> TrainingEvent:
    """Training events are the administrators' (the views let no one else in)."""
    return get_object_or_404(TrainingEvent.objects.select_related("locality", "programme"), pk=pk)
