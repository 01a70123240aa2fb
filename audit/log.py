"""The read log, written by one mechanism: whatever shows a person's data notes the persons
it shows (`note_reads`), and `ReadLogMiddleware` writes the request's notes in one INSERT
once the response is ready, so a page of fifty names costs one query, not fifty.

The record helpers note what they fetch (each app's `get_<model>_for_user`), list pages
note the persons on the page, downloads and extracts note with their own action, and the
admin notes its lists and change pages. A response that fails (4xx, 5xx) showed nobody, so
its notes are dropped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponseBase

from .models import ReadLogEntry

_NOTES = "_read_log_notes"


class Shown(Protocol):
    """A person as the read log needs them: a client or a support person."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_protected(self) -> bool: ...


def note_reads(
    request: HttpRequest,
    subject: str,
    people: Iterable[Shown],
    *,
    action: str = ReadLogEntry.Action.READ,
) -> None:
    """This response shows these persons (subject: ReadLogEntry.Subject)."""
    notes: dict[tuple[str, int, str], bool] | None = getattr(request, _NOTES, None)
    found = {(subject, person.pk, action): person.is_protected for person in people}
    if notes is None:  # outside the middleware (a management command, a bare test request)
        _write(request, found)
    else:
        notes.update(found)


def log_export(request: HttpRequest, *, subject: str, subject_ids: Iterable[int]) -> None:
    """A list export reads every record on it: one entry per record, in bulk, at once (an
    export can hold thousands; it does not wait for the response)."""
    _write(request, {(subject, pk, ReadLogEntry.Action.EXPORT): False for pk in subject_ids})


def _write(request: HttpRequest, notes: dict[tuple[str, int, str], bool]) -> None:
    if not notes:
        return
    user = request.user
    page = request.get_full_path()[:300]
    ReadLogEntry.objects.bulk_create(
        (
            ReadLogEntry(
                user=user if user.is_authenticated else None,
                username=user.get_username() if user.is_authenticated else "",
                subject=subject,
                subject_id=subject_id,
                action=action,
                page=page,
                protected=protected,
            )
            for (subject, subject_id, action), protected in notes.items()
        ),
        batch_size=1000,
    )


class ReadLogMiddleware:
    """Collects what a request's response shows of persons and writes it in one INSERT."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        notes: dict[tuple[str, int, str], bool] = {}
        setattr(request, _NOTES, notes)
        response = self.get_response(request)
        if response.status_code < 400:
            _write(request, notes)
        return response
