"""Record-level access to reports and batches: the administrators' (their scopes say
nobody else), 404 for an id that does not exist."""

from stodperson.access import get_for_user
from stodperson.types import AuthenticatedRequest

from .models import ReportBatch, ReportBatchQuerySet, TertialReport


def get_report_for_user(
    request: AuthenticatedRequest, pk: int, *, write: bool = False
) -> TertialReport:
    return get_for_user(
        request.user,
        TertialReport.objects.select_related("programme", "finalised_by"),
        pk,
        write=write,
    )


def get_batch_for_user(
    request: AuthenticatedRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: ReportBatchQuerySet | None = None,
) -> ReportBatch:
    """A batch of reports; `queryset` narrows it further (a finished one to download)."""
    base = queryset if queryset is not None else ReportBatch.objects.all()
    return get_for_user(request.user, base, pk, write=write)
