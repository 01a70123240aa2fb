"""Record-level access to clients: 404 for "not yours" and "does not exist" alike, 403 for
a write to a client the user sees but does not manage (the scope: ClientQuerySet.scope)."""

from stodperson.access import get_for_user
from stodperson.types import AuthenticatedRequest

from .models import Client, ClientQuerySet


def get_client_for_user(
    request: AuthenticatedRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: ClientQuerySet | None = None,
) -> Client:
    """A client the user may see, or (write=True) manage; `queryset` narrows it further."""
    base = queryset if queryset is not None else Client.objects.all()
    return get_for_user(request.user, base.select_related("unit__programme"), pk, write=write)
