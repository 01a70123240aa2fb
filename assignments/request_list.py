"""The administrator's request list (assignments:requests): the open requests by deadline,
then the closed ones, the latest received first; filtered by status, outcome, the period in
which they were received, the locality of the client's unit and the client's name.

The open requests are few and sorted by their deadline on the working-day calendar, so all
of them are worked out; the closed ones may be tens of thousands and are read a page at a
time. Only an outcome that depends on the calendar (answered in time, late, excused) needs
the clock of every candidate: read with only the clock's columns, then the page in full."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any, overload

from django.utils import timezone

from .clock import RequestClock, RequestState
from .models import SupportRequest, SupportRequestQuerySet


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"


# The outcomes of a closed request, as the clock names them (domain.md rule 5: a withdrawn
# request is not a miss; a late answer is excused when the delay was the patient's health).
OUTCOMES = (
    RequestState.ANSWERED_IN_TIME,
    RequestState.ANSWERED_LATE,
    RequestState.EXCUSED,
    RequestState.WITHDRAWN,
)


@dataclass(frozen=True)
class QueueRow:
    """One request in the list, and where its clock stands today; the row reads as its
    clock in the templates."""

    request: SupportRequest
    clock: RequestClock

    @property
    def deadline(self) -> date | None:
        return self.clock.deadline

    @property
    def target(self) -> int:
        return self.clock.target

    @property
    def is_open(self) -> bool:
        return self.clock.is_waiting

    @property
    def state(self) -> RequestState:
        return self.clock.state

    @property
    def closed_on(self) -> date | None:
        """The day of the answer or the withdrawal; None while the request is open."""
        return None if self.is_open else self.clock.stopped_on

    @property
    def is_paused(self) -> bool:
        return self.clock.is_paused

    @property
    def is_late(self) -> bool:
        return self.clock.is_late

    @property
    def is_due_today(self) -> bool:
        return self.clock.is_due_today

    @property
    def days_left(self) -> int:
        return self.clock.days_left

    @property
    def days_late(self) -> int:
        return self.clock.days_late


def queue_row(request: SupportRequest, today: date) -> QueueRow:
    return QueueRow(request=request, clock=request.clock(today))


def _for_rows(requests: SupportRequestQuerySet) -> SupportRequestQuerySet:
    """What a row shows: the clock, the client with its unit and locality, the wishes."""
    return requests.with_clock().select_related("client__unit__locality", "wished_language")


def request_queue(requests: SupportRequestQuerySet, today: date) -> list[QueueRow]:
    """Open requests, the earliest deadline first; a paused one without a deadline last.
    Two queries whatever the number: the requests and their pauses."""
    rows = [queue_row(r, today) for r in _for_rows(requests.open())]
    rows.sort(
        key=lambda row: (row.deadline is None, row.deadline or today, row.request.received_at)
    )
    return rows


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def filtered(
    requests: SupportRequestQuerySet,
    *,
    received_from: date | None = None,
    received_to: date | None = None,
    locality: int | None = None,
    name: str = "",
) -> SupportRequestQuerySet:
    """The filters that the database answers: the period (local days, both included), the
    locality of the client's unit, and the client's name (Client.objects.search, which never
    finds a protected identity by name)."""
    if received_from is not None:
        requests = requests.filter(received_at__gte=_start_of(received_from))
    if received_to is not None:
        requests = requests.filter(received_at__lt=_start_of(received_to + timedelta(days=1)))
    if locality is not None:
        requests = requests.filter(client__unit__locality_id=locality)
    if name.strip():
        requests = requests.for_client_name(name)
    return requests


@dataclass
class _Closed:
    """The closed requests, the latest received first, read a page at a time: from the
    query itself, or from the ids that an outcome on the calendar left."""

    requests: SupportRequestQuerySet
    today: date
    ids: list[int] | None = None

    @cached_property
    def count(self) -> int:
        return len(self.ids) if self.ids is not None else self.requests.count()

    def rows(self, start: int, stop: int) -> list[QueueRow]:
        if stop <= start:
            return []
        if self.ids is None:
            found = list(_for_rows(self.requests)[start:stop])
        else:
            wanted = self.ids[start:stop]
            by_id = {r.pk: r for r in _for_rows(self.requests.filter(pk__in=wanted))}
            found = [by_id[pk] for pk in wanted]
        return [queue_row(r, self.today) for r in found]


@dataclass
class RequestList(Sequence[QueueRow]):
    """The open rows followed by the closed ones, as one sequence a Paginator pages through;
    a page reads only the closed requests it shows."""

    open_rows: list[QueueRow] = field(default_factory=list)
    closed: _Closed | None = None

    @property
    def open_count(self) -> int:
        return len(self.open_rows)

    @property
    def closed_count(self) -> int:
        return self.closed.count if self.closed is not None else 0

    @property
    def late(self) -> int:
        return sum(row.is_late for row in self.open_rows)

    @property
    def due_today(self) -> int:
        return sum(row.is_due_today for row in self.open_rows)

    @property
    def paused(self) -> int:
        return sum(row.is_paused for row in self.open_rows)

    def __len__(self) -> int:
        return self.open_count + self.closed_count

    @overload
    def __getitem__(self, index: int) -> QueueRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[QueueRow]: ...

    def __getitem__(self, index: int | slice) -> QueueRow | list[QueueRow]:
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else self[len(self) + index :][:1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("A request list is read in slices of one step.")
        rows = self.open_rows[start:stop]
        if self.closed is not None:
            first = max(start - self.open_count, 0)
            rows += self.closed.rows(first, max(stop - self.open_count, first))
        return rows


def request_list(
    requests: SupportRequestQuerySet,
    *,
    today: date,
    status: str = Status.OPEN,
    outcome: str = "",
    **filters: Any,
) -> RequestList:
    """The list for these filters (RequestFilterForm.chosen()). An outcome is one of a
    closed request: with one, only closed requests are listed."""
    requests = filtered(requests, **filters)
    if outcome:
        status = Status.CLOSED
    listed = RequestList()
    if status in (Status.OPEN, Status.ALL):
        listed.open_rows = request_queue(requests, today)
    if status in (Status.CLOSED, Status.ALL):
        listed.closed = _closed(requests, outcome, today)
    return listed


def _closed(requests: SupportRequestQuerySet, outcome: str, today: date) -> _Closed:
    closed = requests.closed().order_by("-received_at", "-id")
    if outcome == RequestState.WITHDRAWN:
        return _Closed(closed.filter(withdrawn_at__isnull=False), today)
    if outcome in SupportRequest.WithdrawalKind.values:
        # A request withdrawn before the outcome was asked for reads as "other".
        kinds = [outcome, ""] if outcome == SupportRequest.WithdrawalKind.OTHER else [outcome]
        return _Closed(closed.filter(withdrawn_at__isnull=False, withdrawal_kind__in=kinds), today)
    if not outcome:
        return _Closed(closed, today)
    answered = closed.filter(withdrawn_at__isnull=True)
    if outcome == RequestState.EXCUSED:
        answered = answered.filter(delay_excused=True)
    ids = [r.pk for r in answered.only_clock() if r.clock(today).state == outcome]
    return _Closed(answered, today, ids)
