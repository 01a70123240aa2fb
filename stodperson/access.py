"""Record-level access, one mechanism for every model (house-style.md, "Record-level access
lives in one place per model").

Each model's QuerySet subclasses ScopedQuerySet and states its scope once, `scope(user, *,
write)`: the rows a user may read, and the rows they may change. `visible_to(user)` and
`managed_by(user)` follow from it, with the rule for administrators (everything) and for
anonymous users (nothing) here and nowhere else. Views fetch a record by id with
`get_in_reach`: 404 when it is out of sight or does not exist (nobody learns that a record
exists from the answer), 403 when it is in sight but not theirs to change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from . import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

M = TypeVar("M", bound=models.Model, covariant=True)

# The scope of records only administrators touch (reports, training events): an IN over
# nothing, which Django answers without asking the database.
NOBODY = Q(pk__in=[])


class ScopedQuerySet(models.QuerySet[M]):
    """A QuerySet whose model states who may read and who may change its rows."""

    # False where a write is personal and an administrator must not make it for someone
    # else (a tick on the checklist records who did the duty).
    administrators_write: ClassVar[bool] = True

    def scope(self, user: User, *, write: bool) -> Q:
        """The rows an authenticated user who is no administrator may read (write=False) or
        change (write=True). Each model says it once, here; writes are a subset of reads."""
        raise NotImplementedError

    def _reach(self, user: User | AnonymousUser, *, write: bool) -> Q | bool:
        """True: every row; False: none; otherwise the model's scope. The one place that
        says what administrators and anonymous users get."""
        if roles.is_administrator(user) and (not write or self.administrators_write):
            return True
        if not user.is_authenticated:
            return False
        return self.scope(user, write=write)  # type: ignore[arg-type]

    def _within(self, user: User | AnonymousUser, *, write: bool) -> Self:
        reach = self._reach(user, write=write)
        if reach is True:
            return self.all()
        if reach is False:
            return self.none()
        return self.filter(reach)

    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The rows the user may read."""
        return self._within(user, write=False)

    def managed_by(self, user: User | AnonymousUser) -> Self:
        """The rows the user may change."""
        return self._within(user, write=True)

    def is_managed_by(self, user: User | AnonymousUser, pk: int) -> bool:
        """Whether the user may change the row `pk`; no query for an administrator."""
        reach = self._reach(user, write=True)
        if isinstance(reach, bool):
            return reach
        return self.filter(reach, pk=pk).exists()


def get_in_reach(pk: int, *, visible: models.QuerySet[M], writable: models.QuerySet[M] | None) -> M:
    """The row `pk` from `writable` (or from `visible` for a read): one query when it is
    there. Only when it is not, a second asks whether the user may at least see it, to tell
    403 (in sight, not theirs to change) from 404 (out of sight, or no such row)."""
    if writable is None:
        try:
            return visible.get(pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None
    try:
        return writable.get(pk=pk)
    except ObjectDoesNotExist:
        if visible.filter(pk=pk).exists():
            raise PermissionDenied from None
        raise Http404 from None


def get_for_user(
    user: User | AnonymousUser, queryset: ScopedQuerySet[M], pk: int, *, write: bool
) -> M:
    """The row `pk` of `queryset` within the user's reach: read, or write when `write`."""
    return get_in_reach(
        pk,
        visible=queryset.visible_to(user),
        writable=queryset.managed_by(user) if write else None,
    )
