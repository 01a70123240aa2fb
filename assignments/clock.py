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


_WAITING = frozenset({RequestState.OPEN, RequestState.DUE_SOON, RequestState.LATE})
_PAST_DEADLINE = frozenset({RequestState.LATE, RequestState.ANSWERED_LATE, RequestState.EXCUSED})


@dataclass(frozen=True)
class RequestClock:
    """Where one request stands on `today`.

    `deadline` is the day the target-th working day after day 0 is reached, paused days not
    counted; None while an open pause began before it was reached (it is unknown until the
    clock runs again). `working_days_used` and `paused_working_days` count the working days
    after day 0 up to the answer, the withdrawal or `today`, whichever comes first.

    DUE_SOON is the daily check's warning: not late, and at most one working day left, so
    from the last working day before the deadline up to and including the deadline day
    (target 3, received on Thursday 2026-06-18, the day before Midsummer Eve: deadline
    Wednesday 24 June, due soon on 23 and 24 June, late from 25 June). A request without a
    deadline is OPEN.
    """

    state: RequestState
    deadline: date | None
    working_days_used: int
    paused_working_days: int
    target: int
    today: date
    paused_since: date | None

    @property
    def is_waiting(self) -> bool:
        """Neither answered nor withdrawn (on `today`)."""
        return self.state in _WAITING

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
    withdrawn = withdrawn_on is not None and withdrawn_on <= today
    answered = not withdrawn and answered_on is not None and answered_on <= today
    spans = list(pauses)
    end = today
    if withdrawn and withdrawn_on is not None:
        end = withdrawn_on
    elif answered and answered_on is not None:
        spans = [(b, r if r is not None else max(b, answered_on)) for b, r in spans]
        end = answered_on
    deadline = workdays.deadline(received_on, target, spans)
    used = workdays.working_days_elapsed(received_on, end, spans)
    paused = workdays.working_days_elapsed(received_on, end) - used
    if withdrawn:
        state = RequestState.WITHDRAWN
    elif answered:
        if deadline is None or end <= deadline:
            state = RequestState.ANSWERED_IN_TIME
        elif delay_excused:
            state = RequestState.EXCUSED
        else:
            state = RequestState.ANSWERED_LATE
    elif deadline is None:
        state = RequestState.OPEN
    elif today > deadline:
        state = RequestState.LATE
    elif used >= target - 1:
        state = RequestState.DUE_SOON
    else:
        state = RequestState.OPEN
    return RequestClock(
        state=state,
        deadline=deadline,
        working_days_used=used,
        paused_working_days=paused,
        target=target,
        today=today,
        paused_since=next((b for b, r in spans if r is None), None),
    )
