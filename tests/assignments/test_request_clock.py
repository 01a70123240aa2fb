"""The one request clock (domain.md rule 5): assignments.clock, and SupportRequest.clock on it.

The dates are worked out by hand from the calendar: Midsummer Eve 2026 is Friday 19 June;
Christmas Eve 2026 is a Thursday, Christmas Day and Boxing Day follow, New Year's Eve is a
Thursday and New Year's Day a Friday.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assignments.clock import RequestState, is_waiting_on, pauses_as_of, request_clock
from assignments.models import SupportRequest
from clients.models import Programme
from tests import factories

D = dt.date
THURSDAY_BEFORE_MIDSUMMER = D(2026, 6, 18)


def clock(received_on=THURSDAY_BEFORE_MIDSUMMER, today=None, **kwargs):
    kwargs.setdefault("pauses", ())
    kwargs.setdefault("target", 3)
    return request_clock(received_on=received_on, today=today or received_on, **kwargs)


# --- Day 0 and the deadline -----------------------------------------------------------------


def test_a_request_arriving_the_thursday_before_midsummer_is_due_the_next_wednesday():
    # Day 0 Thursday 18 June; Midsummer Eve (19th) and the weekend do not count: Monday
    # 22nd is day 1, Tuesday 23rd day 2, Wednesday 24th day 3.
    assert clock().deadline == D(2026, 6, 24)


@pytest.mark.parametrize(
    ("today", "state", "used"),
    [
        (D(2026, 6, 18), RequestState.OPEN, 0),
        (D(2026, 6, 19), RequestState.OPEN, 0),  # Midsummer Eve
        (D(2026, 6, 22), RequestState.OPEN, 1),
        (D(2026, 6, 23), RequestState.DUE_SOON, 2),  # one working day left
        (D(2026, 6, 24), RequestState.DUE_SOON, 3),  # the deadline itself is not late
        (D(2026, 6, 25), RequestState.LATE, 4),
    ],
)
def test_an_open_request_becomes_due_soon_then_late(today, state, used):
    waiting = clock(today=today)
    assert (waiting.state, waiting.working_days_used) == (state, used)
    assert waiting.is_waiting
    assert waiting.is_late == (state is RequestState.LATE)


def test_the_queue_shows_due_today_only_on_the_deadline():
    assert not clock(today=D(2026, 6, 23)).is_due_today
    assert clock(today=D(2026, 6, 24)).is_due_today
    assert not clock(today=D(2026, 6, 25)).is_due_today


def test_a_request_arriving_on_a_saturday_counts_from_the_monday():
    saturday = D(2026, 3, 7)
    waiting = clock(received_on=saturday, today=D(2026, 3, 9))
    assert waiting.working_days_used == 0  # Monday 9 March is day 0
    assert waiting.deadline == D(2026, 3, 12)
    assert waiting.days_left == 3


def test_a_request_arriving_on_christmas_eve_counts_from_the_28th():
    # Day 0 Monday 28 Dec; 29 and 30 Dec are days 1 and 2; New Year's Eve, New Year's Day
    # and the weekend do not count, so day 3 is Monday 4 January 2027.
    christmas_eve = D(2026, 12, 24)
    assert clock(received_on=christmas_eve).deadline == D(2027, 1, 4)
    assert clock(received_on=christmas_eve, today=D(2026, 12, 30)).state == RequestState.DUE_SOON
    assert clock(received_on=christmas_eve, today=D(2027, 1, 5)).state == RequestState.LATE


def test_the_target_is_a_parameter():
    assert clock(target=1).deadline == D(2026, 6, 22)
    assert clock(target=0).deadline == THURSDAY_BEFORE_MIDSUMMER


# --- Pauses ---------------------------------------------------------------------------------


def test_paused_working_days_do_not_count_and_move_the_deadline():
    # Paused Monday 22 June, the clock runs again on Wednesday 24 June: two working days.
    paused = clock(pauses=[(D(2026, 6, 22), D(2026, 6, 24))], today=D(2026, 6, 26))
    assert paused.deadline == D(2026, 6, 26)
    assert paused.paused_working_days == 2
    assert paused.working_days_used == 3  # 24, 25, 26 June
    assert paused.state == RequestState.DUE_SOON
    assert not paused.is_paused


def test_a_request_in_an_open_pause_has_no_deadline_and_is_open():
    paused = clock(pauses=[(D(2026, 6, 23), None)], today=D(2026, 9, 1))
    assert paused.deadline is None
    assert paused.state == RequestState.OPEN
    assert paused.paused_since == D(2026, 6, 23)
    assert paused.working_days_used == 1  # 22 June; from the 23rd on the clock stands still
    assert not paused.is_late


def test_a_pause_opened_after_the_deadline_does_not_excuse_it():
    assert clock(pauses=[(D(2026, 6, 26), None)], today=D(2026, 6, 29)).state == (RequestState.LATE)


def test_the_pauses_as_of_a_day_leave_out_later_ones_and_later_resumptions():
    pauses = [(D(2026, 6, 22), D(2026, 6, 24)), (D(2026, 6, 26), None)]
    assert pauses_as_of(pauses, D(2026, 6, 23)) == [(D(2026, 6, 22), None)]
    assert pauses_as_of(pauses, D(2026, 6, 24)) == [(D(2026, 6, 22), D(2026, 6, 24))]


# --- Answered, excused, withdrawn -------------------------------------------------------------


def test_a_request_answered_on_day_0_is_in_time_with_no_working_days_used():
    answered = clock(answered_on=THURSDAY_BEFORE_MIDSUMMER, today=D(2026, 7, 1))
    assert answered.state == RequestState.ANSWERED_IN_TIME
    assert answered.working_days_used == 0
    assert not answered.is_waiting


def test_an_answer_on_the_deadline_is_in_time_and_the_day_after_is_late():
    assert clock(answered_on=D(2026, 6, 24), today=D(2026, 7, 1)).state == (
        RequestState.ANSWERED_IN_TIME
    )
    late = clock(answered_on=D(2026, 6, 25), today=D(2026, 7, 1))
    assert late.state == RequestState.ANSWERED_LATE
    assert late.is_late
    assert late.working_days_used == 4  # counted up to the answer, not to today


def test_a_late_answer_is_excused_only_when_the_delay_was_excused():
    missed = clock(answered_on=D(2026, 6, 26), today=D(2026, 6, 26))
    excused = clock(answered_on=D(2026, 6, 26), today=D(2026, 6, 26), delay_excused=True)
    assert missed.state == RequestState.ANSWERED_LATE
    assert excused.state == RequestState.EXCUSED
    assert missed.is_late and excused.is_late


def test_an_excused_flag_on_an_answer_in_time_changes_nothing():
    assert clock(answered_on=D(2026, 6, 22), delay_excused=True, today=D(2026, 6, 22)).state == (
        RequestState.ANSWERED_IN_TIME
    )


def test_an_open_pause_ends_with_the_answer():
    answered = clock(
        pauses=[(D(2026, 6, 22), None)], answered_on=D(2026, 6, 29), today=D(2026, 6, 29)
    )
    assert answered.paused_since is None
    assert answered.paused_working_days == 5  # 22-26 June
    assert answered.deadline == D(2026, 7, 1)
    assert answered.state == RequestState.ANSWERED_IN_TIME


def test_a_withdrawn_request_is_not_a_miss():
    withdrawn = clock(withdrawn_on=D(2026, 6, 26), today=D(2026, 7, 1))
    assert withdrawn.state == RequestState.WITHDRAWN
    assert not withdrawn.is_late
    assert not withdrawn.is_waiting
    assert withdrawn.working_days_used == 5  # counted up to the withdrawal


def test_an_answer_or_withdrawal_after_today_has_not_happened_yet():
    assert clock(answered_on=D(2026, 6, 26), today=D(2026, 6, 25)).state == RequestState.LATE
    assert clock(withdrawn_on=D(2026, 6, 26), today=D(2026, 6, 23)).state == (RequestState.DUE_SOON)
    assert is_waiting_on(D(2026, 6, 25), answered_on=D(2026, 6, 26), withdrawn_on=None)
    assert not is_waiting_on(D(2026, 6, 26), answered_on=D(2026, 6, 26), withdrawn_on=None)


# --- The model ------------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def committee_unit(db):
    return factories.UnitFactory(programme=factories.patient_committee_programme())


def test_the_request_reads_its_programmes_target(committee_unit):
    Programme.objects.filter(pk=committee_unit.programme_id).update(request_target_working_days=1)
    client = factories.ClientFactory(unit=committee_unit)
    request = factories.RequestFactory(client=client, received_at=_at(THURSDAY_BEFORE_MIDSUMMER))
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.target_working_days == 1
    assert request.clock(D(2026, 6, 22)).deadline == D(2026, 6, 22)


def test_the_request_clock_knows_the_answer_and_the_withdrawal(committee_unit):
    answered = factories.RequestFactory(
        client=factories.ClientFactory(unit=committee_unit, started_on=D(2026, 6, 1)),
        received_at=_at(THURSDAY_BEFORE_MIDSUMMER),
    )
    factories.AssignmentFactory(client=answered.client, request=answered, started_on=D(2026, 6, 25))
    withdrawn = factories.RequestFactory(
        client=factories.ClientFactory(unit=committee_unit),
        received_at=_at(THURSDAY_BEFORE_MIDSUMMER),
        withdrawn_at=_at(D(2026, 6, 26)),
    )
    requests = {r.pk: r for r in SupportRequest.objects.with_clock()}
    assert requests[answered.pk].clock(D(2026, 7, 1)).state == RequestState.ANSWERED_LATE
    assert requests[withdrawn.pk].clock(D(2026, 7, 1)).state == RequestState.WITHDRAWN


def test_a_late_answer_is_known_before_the_appointment(committee_unit):
    paused, running = (
        factories.RequestFactory(
            client=factories.ClientFactory(unit=committee_unit),
            received_at=_at(THURSDAY_BEFORE_MIDSUMMER),
        )
        for _ in range(2)
    )
    factories.RequestPauseFactory(request=paused, started_on=D(2026, 6, 22))
    assert running.clock_if_answered_on(D(2026, 6, 29)).is_late
    # The open pause ends with the appointment: 22-26 June do not count.
    in_time = paused.clock_if_answered_on(D(2026, 6, 29))
    assert not in_time.is_late
    assert in_time.paused_working_days == 5


@pytest.mark.parametrize("rows", [3, 30])
def test_the_clocks_of_many_requests_take_two_queries(
    committee_unit, rows, django_assert_num_queries
):
    for i in range(rows):
        request = factories.RequestFactory(
            client=factories.ClientFactory(unit=committee_unit),
            received_at=_at(THURSDAY_BEFORE_MIDSUMMER - dt.timedelta(days=i % 5)),
        )
        factories.RequestPauseFactory(request=request, started_on=D(2026, 6, 22))
    with django_assert_num_queries(2):
        states = [r.clock(D(2026, 6, 25)).state for r in SupportRequest.objects.only_clock()]
    assert len(states) == rows
