"""Opening and resolving flags: each check computes the targets that should carry a flag of
its kind and hands them to `synced`, which makes the open flags match in a few set-based
queries. Shared by every module of checks (checks.py and those beside it)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clients.models import Programme

from .models import Flag

logger = logging.getLogger("flags.checks")

# Rows per INSERT. SQLite caps a statement at 999 parameters, so Django splits there at
# 142 flags anyway; this bound keeps PostgreSQL under its 65 535 too.
_INSERT_BATCH = 1000


@dataclass(frozen=True)
class Wanted:
    """A target that should carry a flag: the client it hangs on (or, for what concerns a
    support person alone, None and the person), and a short detail (dates only: the flag
    list may be seen by people who do not see every record)."""

    client_id: int | None
    detail: str = ""
    support_person_id: int | None = None


@dataclass(frozen=True)
class CheckResult:
    kind: str
    open: int  # flags that should be open after the run
    opened: int
    resolved: int

    def __str__(self) -> str:
        return f"{self.kind}: {self.open} open, {self.opened} opened, {self.resolved} resolved"


def _open_flags(kinds: Iterable[str]) -> list[tuple[str, int, int]]:
    """(kind, target id, flag id) of the open flags of these kinds."""
    return list(
        Flag.objects.filter(kind__in=list(kinds), resolved_at__isnull=True)
        .values_list("kind", "target_id", "id")
        .order_by()
    )


def sync_flags(wanted: Mapping[str, Mapping[int, Wanted]], *, now: datetime) -> list[CheckResult]:
    """Make the open flags of each kind match the wanted targets: at most three queries (read
    the open ones, insert the missing ones, resolve the ones whose cause is gone), in one
    transaction (on SQLite an IMMEDIATE one, so two runs take turns)."""
    with transaction.atomic():
        return _sync_flags(wanted, now=now)


def _sync_flags(wanted: Mapping[str, Mapping[int, Wanted]], *, now: datetime) -> list[CheckResult]:
    existing: dict[str, dict[int, int]] = {kind: {} for kind in wanted}
    for kind, target_id, flag_id in _open_flags(wanted):
        existing[kind][target_id] = flag_id
    new_flags = [
        Flag(
            kind=kind,
            target_id=target_id,
            client_id=target.client_id,
            support_person_id=target.support_person_id,
            detail=target.detail[:300],
            raised_at=now,
        )
        for kind, targets in wanted.items()
        for target_id, target in targets.items()
        if target_id not in existing[kind]
    ]
    gone = {
        kind: [flag_id for target_id, flag_id in flags.items() if target_id not in wanted[kind]]
        for kind, flags in existing.items()
    }
    if new_flags:
        # A run at the same time may have opened some of them already: the partial unique
        # constraint turns those inserts into no-ops instead of duplicates or errors.
        Flag.objects.bulk_create(new_flags, ignore_conflicts=True, batch_size=_INSERT_BATCH)
    gone_ids = [flag_id for ids in gone.values() for flag_id in ids]
    if gone_ids:
        Flag.objects.filter(pk__in=gone_ids, resolved_at__isnull=True).update(resolved_at=now)
    return [
        CheckResult(
            kind=kind,
            open=len(targets),
            opened=sum(1 for flag in new_flags if flag.kind == kind),
            resolved=len(gone[kind]),
        )
        for kind, targets in wanted.items()
    ]


def synced(wanted: Mapping[str, Mapping[int, Wanted]], now: datetime | None) -> list[CheckResult]:
    results = sync_flags(wanted, now=now or timezone.now())
    for result in results:
        if result.opened or result.resolved:
            logger.info("%s", result)
    return results


def per_programme(
    programmes: Iterable[Programme], rule: Callable[[Programme], Q], prefix: str
) -> Q:
    """One condition for all programmes: each programme's own rule, OR-ed together."""
    condition = Q(pk__in=[])
    for programme in programmes:
        condition |= Q(**{f"{prefix}programme_id": programme.pk}) & rule(programme)
    return condition


def iso(day: date | None) -> str:
    return day.isoformat() if day else "–"


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
