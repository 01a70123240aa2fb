"""Record-level access to clients: 404 both for "not yours" and "does not exist"."""

from django.shortcuts import get_object_or_404

from stodperson.types import AuthenticatedRequest

from .models import Client, ClientQuerySet


def get_client_for_user(
    request: AuthenticatedRequest, pk: int, queryset: ClientQuerySet | None = None
) -> Client:
    base = queryset if queryset is not None else Client.objects.all()
    return get_object_or_404(base.visible_to(request.user).select_related("unit__programme"), pk=pk)
