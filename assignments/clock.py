"""The request clock: where a request stands on the working-day calendar (domain.md rule 5).

A request is answered by an appointment within the programme's target of working days. The
day it arrives is day 0 (one arriving on a non-working day counts from the next working
day); time in a recorded pause (the patient could not take a position) does not count; a
withdrawn request is not a miss; a late answer is *excused* when the delay was a pause of
that kind.

`request_clock` is a pure function of a request's dates, so the model
(`SupportRequest.clock`) and the tertial figures, which read thousands of requests as plain
rows, count the same way. The calendar itself is stodperson.workdays.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stodperson import workdays


class RequestState(StrEnum):
    OPEN = "open"
    DUE_SOON = "due_soon"
    LATE = "late"
    ANSWERED_IN_TIME = "answered_in_time"
    ANSWERED_LATE = "answered_late"
    EXCUSED = "excused"
    WITHDRAWN = "withdrawn"


_PAST_DEADLINE = frozenset({RequestState.LATE, RequestState.ANSWERED_LATE, RequestState.EXCUSED})


@dataclass(frozen=True)
class RequestClock:
    """Where one request stands on `today`; build it with `request_clock`.

    `deadline` is the day the target-th working day after day 0 is reached, paused days not
    counted; None while an open pause began before it was reached (it is unknown until the
    clock runs again). `working_days_used` and `paused_working_days` count the working days
    after day 0 up to the answer, the withdrawal or `today`, whichever comes first.

    DUE_SOON is the daily check's warning: not late, and at most one working day left, so
    from the last working day before the deadline up to and including the deadline day
    (target 3, received on Thursday 2026-06-18, the day before Midsummer Eve: deadline
    Wednesday 24 June, due soon on 23 and 24 June, late from 25 June). A request without a
    deadline is OPEN.

    Each figure is worked out when first read: a report reads the state of thousands of
    requests and the working days of only some.
    """

    received_on: date
    pauses: tuple[workdays.Pause, ...]
    target: int
    today: date
    answered_on: date | None
    withdrawn_on: date | None
    delay_excused: bool

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None and self.withdrawn_on <= self.today

    @property
    def is_answered(self) -> bool:
        return (
            not self.is_withdrawn
            and self.answered_on is not None
            and self.answered_on <= self.today
        )

    @property
    def is_waiting(self) -> bool:
        return is_waiting_on(
            self.today, answered_on=self.answered_on, withdrawn_on=self.withdrawn_on
        )

    @property
    def stopped_on(self) -> date:
        """The last day the clock ran to: the withdrawal, the answer or `today`."""
        if self.is_withdrawn and self.withdrawn_on is not None:
            return self.withdrawn_on
        if self.is_answered and self.answered_on is not None:
            return self.answered_on
        return self.today

    @functools.cached_property
    def deadline(self) -> date | None:
        return workdays.deadline(self.received_on, self.target, self.pauses)

    @functools.cached_property
    def working_days_used(self) -> int:
        return workdays.working_days_elapsed(self.received_on, self.stopped_on, self.pauses)

    @functools.cached_property
    def paused_working_days(self) -> int:
        unpaused = workdays.working_days_elapsed(self.received_on, self.stopped_on)
        return unpaused - self.working_days_used

    @functools.cached_property
    def state(self) -> RequestState:
        if self.is_withdrawn:
            return RequestState.WITHDRAWN
        if self.is_answered:
            assert self.answered_on is not None
            if self.deadline is None or self.answered_on <= self.deadline:
                return RequestState.ANSWERED_IN_TIME
            return RequestState.EXCUSED if self.delay_excused else RequestState.ANSWERED_LATE
        if self.deadline is None:
            return RequestState.OPEN
        if self.today > self.deadline:
            return RequestState.LATE
        if self.working_days_used >= self.target - 1:
            return RequestState.DUE_SOON
        return RequestState.OPEN

    @property
    def paused_since(self) -> date | None:
        """The day an open pause began, if the clock stands still."""
        return next((begin for begin, resume in self.pauses if resume is None), None)

    @property
    def is_late(self) -> bool:
        """Past the deadline: waiting late, answered late or excused."""
        return self.state in _PAST_DEADLINE

    @property
    def is_due_today(self) -> bool:
        """Waiting, and today is the deadline (the queue's "due today")."""
        return self.is_waiting and self.deadline == self.today

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def days_left(self) -> int:
        return max(self.target - self.working_days_used, 0)

    @property
    def days_late(self) -> int:
        return max(self.working_days_used - self.target, 0)


def is_waiting_on(day: date, *, answered_on: date | None, withdrawn_on: date | None) -> bool:
    """Neither answered nor withdrawn by `day`. It needs no calendar: a report asks it of
    every request before it works out the clock of the few still waiting."""
    return (withdrawn_on is None or withdrawn_on > day) and (
        answered_on is None or answered_on > day
    )


def pauses_as_of(pauses: Iterable[workdays.Pause], day: date) -> list[workdays.Pause]:
    """The pauses as they stood on `day`: later ones left out, later resumptions still open.
    For a clock looked at in the past (a report's last day)."""
    return [(b, r if r is not None and r <= day else None) for b, r in pauses if b <= day]


def request_clock(
    *,
    received_on: date,
    pauses: Iterable[workdays.Pause],
    target: int,
    today: date,
    answered_on: date | None = None,
    withdrawn_on: date | None = None,
    delay_excused: bool = False,
) -> RequestClock:
    """The clock of a request received on `received_on`, as it stands on `today`.

    An answer or a withdrawal dated after `today` has not happened yet. A pause still open
    at the answer ends with it (the appointment shows the patient could take a position;
    services.request_appoint records it so)."""
    spans = tuple(pauses)
    withdrawn = withdrawn_on is not None and withdrawn_on <= today
    if not withdrawn and answered_on is not None and answered_on <= today:
        spans = tuple((b, r if r is not None else max(b, answered_on)) for b, r in spans)
    return RequestClock(
        received_on=received_on,
        pauses=spans,
        target=target,
        today=today,
        answered_on=answered_on,
        withdrawn_on=withdrawn_on,
        delay_excused=delay_excused,
    )
