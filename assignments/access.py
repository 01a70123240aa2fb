"""Record-level access for assignments and support persons: 404 for "not yours" and
"does not exist" alike."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from clients.models import Unit
from stodperson import roles
from stodperson.types import AuthenticatedRequest
from supportpersons.models import SupportPerson

from .models import Assignment, AssignmentQuerySet


def get_assignment_for_user(
    request: AuthenticatedRequest, pk: int, queryset: AssignmentQuerySet | None = None
) -> Assignment:
    base = queryset if queryset is not None else Assignment.objects.all()
    return get_object_or_404(
        base.visible_to(request.user).select_related("client__unit__programme", "support_person"),
        pk=pk,
    )


def get_support_person_for_manager(request: AuthenticatedRequest, pk: int) -> SupportPerson:
    """A support person a manager may act on: one working in their units, or one with a
    client in their units. Administrators: anyone."""
    people = SupportPerson.objects.all()
    if not roles.is_administrator(request.user):
        units = Unit.objects.filter(managers=request.user)
        people = people.filter(
            Q(unit__in=units)
            | Q(
                pk__in=Assignment.objects.active()
                .filter(client__unit__in=units)
                .values("support_person_id")
            )
        )
    return get_object_or_404(people.select_related("locality"), pk=pk)
