"""Optimistic concurrency for the forms that change a record (issue 15, "Rules for every
form here"): a record changed by two people at once does not silently lose one change.

The form carries, hidden, the version of the record it was filled in against: the record's
`updated_at` (auto_now, so every save moves it). The write locks the row, compares, and
refuses with a message for the second person when someone saved in between; nothing is
saved then. A lock and a comparison, not a version column bumped by hand: every save of the
model counts, the Django admin's too.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ServiceError


class Versioned(Protocol):
    updated_at: Any


M = TypeVar("M", bound=models.Model)


def version_of(record: Versioned) -> str:
    """The version a form carries: the time of the record's last save, to the microsecond."""
    return record.updated_at.isoformat()


class StaleVersion(ServiceError):
    """Someone else saved the record after the form was opened."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or _(
                "Someone else changed this after you opened the page. Nothing has been saved: "
                "check what is saved now and try again."
            )
        )


class VersionField(forms.CharField):
    """The hidden field a versioned form carries."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"required": gettext_lazy("The form is out of date: open the page again.")},
        )
        super().__init__(max_length=40, **kwargs)


def lock_unchanged(queryset: models.QuerySet[M], pk: Any, version: str) -> M:
    """The row `pk`, locked until the transaction ends, if it is still at `version`;
    StaleVersion when someone saved it in between. Call it inside a transaction."""
    record = queryset.select_for_update().get(pk=pk)
    if version_of(record) != version:  # type: ignore[arg-type]
        raise StaleVersion
    return record
