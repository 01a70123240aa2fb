"""Writing the read log: one call from every view that shows a person's record."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from .models import ReadLogEntry


def log_read(
    request: HttpRequest,
    *,
    subject: str,
    subject_id: int,
    protected: bool = False,
    action: str = ReadLogEntry.Action.READ,
) -> None:
    user = request.user
    ReadLogEntry.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username() if user.is_authenticated else "",
        subject=subject,
        subject_id=subject_id,
        action=action,
        page=request.get_full_path()[:300],
        protected=protected,
    )


def log_export(request: HttpRequest, *, subject: str, subject_ids: Iterable[int]) -> None:
    """A list export reads every record on it: one entry per record, in bulk."""
    user = request.user
    page = request.get_full_path()[:300]
    ReadLogEntry.objects.bulk_create(
        (
            ReadLogEntry(
                user=user if user.is_authenticated else None,
                username=user.get_username() if user.is_authenticated else "",
                subject=subject,
                subject_id=subject_id,
                action=ReadLogEntry.Action.EXPORT,
                page=page,
            )
            for subject_id in subject_ids
        ),
        batch_size=1000,
    )
