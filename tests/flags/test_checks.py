"""The background checks: each rule at its edges, flags that open once, resolve themselves
and come back as new rows, a fixed number of queries, and two runs at the same time.

"Today" is passed to the checks; nothing moves the clock."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from assignments.models import Assignment, RequestPause, SupportRequest
from clients.models import Client, Consent, Deviation, Programme, RiskMeasure
from duties.models import DutyCheck, DutyState, DutyTemplate
from flags import checks, sync
from flags.models import Flag
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Flag.Kind
D = dt.date


def open_targets(kind: str) -> set[int]:
    return set(Flag.objects.open().filter(kind=kind).values_list("target_id", flat=True))


def lss_template(code: str) -> DutyTemplate:
    return DutyTemplate.objects.get(programme=factories.lss_programme(), code=code)


def lss_client(world, *, started_on: D, ended_on: D | None = None, **kwargs) -> Client:
    return factories.ClientFactory(
        unit=world.unit_a, started_on=started_on, ended_on=ended_on, **kwargs
    )


def assigned(client: Client, *, started_on: D | None = None) -> Assignment:
    return factories.AssignmentFactory(client=client, started_on=started_on or client.started_on)


def tick(assignment: Assignment, code: str, done_on: D, **kwargs) -> DutyCheck:
    return factories.DutyCheckFactory(
        assignment=assignment, template=lss_template(code), done_on=done_on, **kwargs
    )


def at(day: D, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def committee_unit():
    return factories.UnitFactory(
        name="Patientnämnden Umeå", programme=factories.patient_committee_programme()
    )


PLAN = DutyTemplate.Code.IMPLEMENTATION_PLAN
DOCUMENTATION = DutyTemplate.Code.DOCUMENTATION


# --- Implementation plan (rule 2) ------------------------------------------------------


def test_a_plan_reviewed_exactly_twelve_months_ago_is_not_overdue(world):
    assignment = assigned(lss_client(world, started_on=D(2020, 1, 1)))
    tick(assignment, PLAN, D(2025, 3, 10))
    checks.check_plan_overdue(D(2026, 3, 10))
    assert assignment.client_id not in open_targets(Kind.PLAN_OVERDUE)


def test_it_flags_a_plan_older_than_twelve_months_and_a_day(world):
    assignment = assigned(lss_client(world, started_on=D(2020, 1, 1)))
    tick(assignment, PLAN, D(2025, 3, 10))
    checks.check_plan_overdue(D(2026, 3, 11))
    flag = Flag.objects.open().get(kind=Kind.PLAN_OVERDUE, target_id=assignment.client_id)
    assert flag.client_id == assignment.client_id
    assert "2025-03-10" in flag.detail


def test_a_plan_done_on_a_leap_day_is_due_on_the_28th_of_february(world):
    assignment = assigned(lss_client(world, started_on=D(2020, 1, 1)))
    tick(assignment, PLAN, D(2024, 2, 29))
    checks.check_plan_overdue(D(2025, 2, 28))
    assert assignment.client_id not in open_targets(Kind.PLAN_OVERDUE)
    checks.check_plan_overdue(D(2025, 3, 1))
    assert assignment.client_id in open_targets(Kind.PLAN_OVERDUE)


def test_on_a_leap_day_a_plan_from_the_28th_of_february_a_year_ago_is_overdue(world):
    """next_due(2023-02-28) is 2024-02-28, so on 2024-02-29 the checklist says overdue; twelve
    months back from a leap day is clipped to 2023-02-28, which the flag must not trust."""
    assignment = assigned(lss_client(world, started_on=D(2020, 1, 1)))
    tick(assignment, PLAN, D(2023, 2, 28))
    template = lss_template(PLAN)
    due = template.next_due(last_done=D(2023, 2, 28), client_since=D(2020, 1, 1))
    assert template.state(next_due=due, today=D(2024, 2, 29)) == DutyState.OVERDUE
    checks.check_plan_overdue(D(2024, 2, 29))
    assert assignment.client_id in open_targets(Kind.PLAN_OVERDUE)


@pytest.mark.parametrize(
    ("interval", "per_calendar_month"), [(12, False), (1, False), (1, True), (3, True)]
)
def test_stale_before_agrees_with_next_due_on_every_day(interval, per_calendar_month):
    """The flag's cut-off is the exact inverse of the checklist's next_due, across month
    ends and leap years, for yearly, monthly and calendar-month duties."""
    template = DutyTemplate(interval_months=interval, per_calendar_month=per_calendar_month)
    done_days = [D(2022, 1, 1) + dt.timedelta(days=n) for n in range(1200)]
    dues = [template.next_due(last_done=day, client_since=day) for day in done_days]
    for today in [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(456)]:
        cutoff = template.stale_before(today)
        for last_done, due in zip(done_days, dues, strict=True):
            overdue = template.state(next_due=due, today=today) == DutyState.OVERDUE
            assert overdue == (last_done < cutoff), (today, last_done)


def test_a_new_client_without_a_plan_is_flagged_only_after_the_grace_period(world):
    grace = lss_template(PLAN).grace_days
    client = lss_client(world, started_on=D(2026, 1, 10))
    assigned(client)
    last_day_of_grace = D(2026, 1, 10) + dt.timedelta(days=grace)
    checks.check_plan_overdue(last_day_of_grace)
    assert client.pk not in open_targets(Kind.PLAN_OVERDUE)
    checks.check_plan_overdue(last_day_of_grace + dt.timedelta(days=1))
    assert client.pk in open_targets(Kind.PLAN_OVERDUE)
    assert Flag.objects.get(kind=Kind.PLAN_OVERDUE, target_id=client.pk).detail == "Aldrig gjord"


def test_a_withdrawn_tick_does_not_count_and_a_previous_support_persons_tick_does(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    earlier = factories.AssignmentFactory(
        client=client, started_on=D(2020, 1, 1), ended_on=D(2025, 12, 31), end_reason="change"
    )
    now = assigned(client, started_on=D(2025, 12, 31))
    tick(earlier, PLAN, D(2025, 6, 1))
    tick(now, PLAN, D(2026, 1, 15), withdrawn_at=timezone.now())
    checks.check_plan_overdue(D(2026, 3, 1))
    assert client.pk not in open_targets(Kind.PLAN_OVERDUE)
    checks.check_plan_overdue(D(2026, 6, 2))
    assert client.pk in open_targets(Kind.PLAN_OVERDUE)


def test_no_plan_flag_for_an_ended_client_or_a_programme_without_plans(world, committee_unit):
    ended = lss_client(world, started_on=D(2020, 1, 1), ended_on=D(2026, 1, 1))
    patient = factories.ClientFactory(unit=committee_unit, started_on=D(2020, 1, 1))
    checks.check_plan_overdue(D(2026, 3, 1))
    assert open_targets(Kind.PLAN_OVERDUE).isdisjoint({ended.pk, patient.pk})


def test_a_plan_template_taken_out_of_use_raises_nothing(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    DutyTemplate.objects.filter(code=PLAN).update(is_active=False)
    checks.check_plan_overdue(D(2026, 3, 1))
    assert client.pk not in open_targets(Kind.PLAN_OVERDUE)


# --- Monthly documentation (rule 3) ----------------------------------------------------


def test_documentation_on_a_leap_day_covers_february(world):
    assignment = assigned(lss_client(world, started_on=D(2020, 1, 1)))
    tick(assignment, DOCUMENTATION, D(2024, 2, 29))
    checks.check_documentation_missing(D(2024, 3, 1))
    assert assignment.client_id not in open_targets(Kind.DOCUMENTATION_MISSING)
    checks.check_documentation_missing(D(2024, 3, 31))
    assert assignment.client_id not in open_targets(Kind.DOCUMENTATION_MISSING)
    checks.check_documentation_missing(D(2024, 4, 1))
    assert assignment.client_id in open_targets(Kind.DOCUMENTATION_MISSING)


def test_documentation_on_the_last_day_of_a_month_counts_for_that_month_only(world):
    assignment = assigned(lss_client(world, started_on=D(2020, 1, 1)))
    tick(assignment, DOCUMENTATION, D(2026, 1, 31))
    checks.check_documentation_missing(D(2026, 2, 28))
    assert assignment.client_id not in open_targets(Kind.DOCUMENTATION_MISSING)
    checks.check_documentation_missing(D(2026, 3, 1))
    assert assignment.client_id in open_targets(Kind.DOCUMENTATION_MISSING)


def test_documentation_this_month_also_answers_for_last_month(world):
    assignment = assigned(lss_client(world, started_on=D(2020, 1, 1)))
    checks.check_documentation_missing(D(2026, 3, 2))
    assert assignment.client_id in open_targets(Kind.DOCUMENTATION_MISSING)
    tick(assignment, DOCUMENTATION, D(2026, 3, 2))
    checks.check_documentation_missing(D(2026, 3, 2))
    assert assignment.client_id not in open_targets(Kind.DOCUMENTATION_MISSING)


def test_a_client_who_joined_on_the_25th_is_not_flagged_for_that_month(world):
    client = lss_client(world, started_on=D(2026, 5, 25))
    assigned(client)
    checks.check_documentation_missing(D(2026, 6, 1))
    checks.check_documentation_missing(D(2026, 6, 30))
    assert client.pk not in open_targets(Kind.DOCUMENTATION_MISSING)
    # June was past the grace period (25 May + 14 days = 8 June): nothing in June is a miss.
    checks.check_documentation_missing(D(2026, 7, 1))
    assert client.pk in open_targets(Kind.DOCUMENTATION_MISSING)


def test_the_documentation_grace_period_ends_on_the_last_day_of_the_month_at_the_latest(world):
    grace = lss_template(DOCUMENTATION).grace_days
    last_day = D(2026, 5, 31)
    just_in = lss_client(world, started_on=last_day - dt.timedelta(days=grace))
    one_day_later = lss_client(world, started_on=last_day - dt.timedelta(days=grace - 1))
    checks.check_documentation_missing(D(2026, 6, 1))
    flagged = open_targets(Kind.DOCUMENTATION_MISSING)
    assert just_in.pk in flagged
    assert one_day_later.pk not in flagged


def test_no_documentation_flag_for_a_client_who_ended_last_month(world):
    client = lss_client(world, started_on=D(2020, 1, 1), ended_on=D(2026, 5, 20))
    checks.check_documentation_missing(D(2026, 6, 1))
    assert client.pk not in open_targets(Kind.DOCUMENTATION_MISSING)


# --- Requests: the working-day clock (rule 5) ------------------------------------------


def committee_request(committee_unit, received: D, **kwargs) -> SupportRequest:
    client = factories.ClientFactory(unit=committee_unit, started_on=received)
    return factories.RequestFactory(client=client, received_at=at(received), **kwargs)


def request_flags(request: SupportRequest) -> set[str]:
    return set(Flag.objects.open().filter(target_id=request.pk).values_list("kind", flat=True)) & {
        Kind.REQUEST_LATE,
        Kind.REQUEST_DUE_SOON,
    }


def test_a_request_received_the_day_before_midsummer_eve(committee_unit):
    request = committee_request(committee_unit, D(2026, 6, 18))
    assert request.deadline(3) == D(2026, 6, 24)
    expected = {
        D(2026, 6, 18): set(),
        D(2026, 6, 19): set(),  # Midsummer Eve: not a working day
        D(2026, 6, 22): set(),
        D(2026, 6, 23): {Kind.REQUEST_DUE_SOON},  # one working day left
        D(2026, 6, 24): {Kind.REQUEST_DUE_SOON},  # the deadline itself: due today, not late
        D(2026, 6, 25): {Kind.REQUEST_LATE},
    }
    for today, kinds in expected.items():
        checks.check_requests(today)
        assert request_flags(request) == kinds, today
    due_soon = Flag.objects.get(kind=Kind.REQUEST_DUE_SOON, target_id=request.pk)
    assert due_soon.resolved_at is not None  # it became late: the due-soon flag closed
    late = Flag.objects.open().get(kind=Kind.REQUEST_LATE)
    assert late.client_id == request.client_id
    assert late.detail == "Sista dag 2026-06-24"


def test_a_request_received_on_christmas_eve_counts_from_the_28th(committee_unit):
    """Day 0 is Monday 28 Dec; 29 and 30 Dec are days 1 and 2; New Year's Eve, New Year's Day
    and the weekend do not count, so day 3 is Monday 4 January 2027."""
    request = committee_request(committee_unit, D(2026, 12, 24))
    assert request.deadline(3) == D(2027, 1, 4)
    expected = {
        D(2026, 12, 28): set(),
        D(2026, 12, 29): set(),
        D(2026, 12, 30): {Kind.REQUEST_DUE_SOON},
        D(2026, 12, 31): {Kind.REQUEST_DUE_SOON},
        D(2027, 1, 4): {Kind.REQUEST_DUE_SOON},
        D(2027, 1, 5): {Kind.REQUEST_LATE},
    }
    for today, kinds in expected.items():
        checks.check_requests(today)
        assert request_flags(request) == kinds, today


def test_paused_days_do_not_count(committee_unit):
    request = committee_request(committee_unit, D(2026, 6, 18))
    # Paused Monday 22 June, the clock runs again on Wednesday 24 June.
    RequestPause.objects.create(
        request=request, started_on=D(2026, 6, 22), ended_on=D(2026, 6, 24), reason="Hälsa"
    )
    assert request.deadline(3) == D(2026, 6, 26)
    checks.check_requests(D(2026, 6, 25))
    assert request_flags(request) == {Kind.REQUEST_DUE_SOON}
    checks.check_requests(D(2026, 6, 26))
    assert request_flags(request) == {Kind.REQUEST_DUE_SOON}
    checks.check_requests(D(2026, 6, 29))
    assert request_flags(request) == {Kind.REQUEST_LATE}


def test_a_request_in_an_open_pause_has_no_deadline_and_no_flag(committee_unit):
    request = committee_request(committee_unit, D(2026, 6, 18))
    checks.check_requests(D(2026, 6, 23))
    assert request_flags(request) == {Kind.REQUEST_DUE_SOON}
    RequestPause.objects.create(request=request, started_on=D(2026, 6, 23), reason="Hälsa")
    checks.check_requests(D(2026, 9, 1))
    assert request_flags(request) == set()


def test_a_pause_opened_after_the_deadline_does_not_excuse_it(committee_unit):
    request = committee_request(committee_unit, D(2026, 6, 18))
    RequestPause.objects.create(request=request, started_on=D(2026, 6, 26), reason="Hälsa")
    checks.check_requests(D(2026, 6, 29))
    assert request_flags(request) == {Kind.REQUEST_LATE}


def test_a_withdrawn_request_is_not_a_miss(committee_unit):
    request = committee_request(committee_unit, D(2026, 6, 18))
    checks.check_requests(D(2026, 6, 25))
    flag = Flag.objects.open().get(kind=Kind.REQUEST_LATE, target_id=request.pk)
    SupportRequest.objects.filter(pk=request.pk).update(withdrawn_at=at(D(2026, 6, 25), 11))
    checks.check_requests(D(2026, 6, 25))
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert request_flags(request) == set()


def test_an_answered_request_closes_its_flag(committee_unit):
    request = committee_request(committee_unit, D(2026, 6, 18))
    checks.check_requests(D(2026, 6, 25))
    factories.AssignmentFactory(client=request.client, request=request, started_on=D(2026, 6, 25))
    checks.check_requests(D(2026, 6, 25))
    assert request_flags(request) == set()
    assert Flag.objects.filter(kind=Kind.REQUEST_LATE, target_id=request.pk).count() == 1


def test_the_target_is_the_programmes_own(committee_unit):
    Programme.objects.filter(pk=committee_unit.programme_id).update(request_target_working_days=1)
    request = committee_request(committee_unit, D(2026, 6, 18))
    checks.check_requests(D(2026, 6, 18))
    assert request_flags(request) == {Kind.REQUEST_DUE_SOON}
    checks.check_requests(D(2026, 6, 23))
    assert request_flags(request) == {Kind.REQUEST_LATE}


def test_a_request_received_after_the_day_checked_is_left_alone(committee_unit):
    request = committee_request(committee_unit, D(2026, 6, 18))
    checks.check_requests(D(2026, 6, 17))
    assert request_flags(request) == set()


# --- Support person, consents, risks, deviations, care ended ---------------------------


def test_a_client_without_support_person_is_flagged_after_the_programmes_grace(world):
    grace = factories.lss_programme().new_client_grace_days
    client = lss_client(world, started_on=D(2026, 3, 1))
    checks.check_no_support_person(D(2026, 3, 1) + dt.timedelta(days=grace))
    assert client.pk not in open_targets(Kind.NO_SUPPORT_PERSON)
    checks.check_no_support_person(D(2026, 3, 1) + dt.timedelta(days=grace + 1))
    assert client.pk in open_targets(Kind.NO_SUPPORT_PERSON)
    assigned(client, started_on=D(2026, 4, 15))
    checks.check_no_support_person(D(2026, 4, 15))
    assert client.pk not in open_targets(Kind.NO_SUPPORT_PERSON)


def test_a_released_support_person_leaves_the_client_without_one(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    factories.AssignmentFactory(
        client=client, started_on=D(2020, 1, 1), ended_on=D(2026, 4, 1), end_reason="other"
    )
    checks.check_no_support_person(D(2026, 3, 31))
    assert client.pk not in open_targets(Kind.NO_SUPPORT_PERSON)
    checks.check_no_support_person(D(2026, 4, 1))
    assert client.pk in open_targets(Kind.NO_SUPPORT_PERSON)


def test_consents_past_review_or_withdrawn_under_a_measure_are_flagged(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    ok = Consent.objects.create(
        client=client, purpose="A", given_on=D(2025, 1, 1), review_on=D(2026, 6, 1)
    )
    past = Consent.objects.create(
        client=client, purpose="B", given_on=D(2025, 1, 1), review_on=D(2026, 5, 31)
    )
    withdrawn = Consent.objects.create(
        client=client, purpose="C", given_on=D(2025, 1, 1), withdrawn_on=D(2026, 6, 1)
    )
    # Withdrawn while a measure rests on it: it needs action (a lone withdrawal does not,
    # tests/clients/test_record_actions.py).
    factories.RiskMeasureFactory(client=client, consent=withdrawn, decided_on=D(2025, 2, 1))
    ended_client = lss_client(world, started_on=D(2020, 1, 1), ended_on=D(2026, 1, 1))
    of_ended = Consent.objects.create(
        client=ended_client, purpose="D", given_on=D(2025, 1, 1), review_on=D(2025, 6, 1)
    )
    checks.check_consent_review(D(2026, 6, 1))
    flagged = open_targets(Kind.CONSENT_REVIEW)
    assert past.pk in flagged and withdrawn.pk in flagged
    assert ok.pk not in flagged and of_ended.pk not in flagged
    Consent.objects.filter(pk=past.pk).update(review_on=D(2027, 5, 31))
    checks.check_consent_review(D(2026, 6, 1))
    assert past.pk not in open_targets(Kind.CONSENT_REVIEW)


def test_risk_follow_ups_past_due_are_flagged_until_moved_or_ended(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    due_today = factories.RiskMeasureFactory(client=client, follow_up_on=D(2026, 6, 1))
    overdue = factories.RiskMeasureFactory(client=client, follow_up_on=D(2026, 5, 31))
    ended = factories.RiskMeasureFactory(
        client=client, follow_up_on=D(2026, 1, 1), ended_on=D(2026, 2, 1)
    )
    checks.check_risk_follow_up(D(2026, 6, 1))
    assert open_targets(Kind.RISK_FOLLOW_UP) == {overdue.pk}
    assert not due_today.is_follow_up_overdue_on(D(2026, 6, 1))
    assert not ended.is_follow_up_overdue_on(D(2026, 6, 1))
    RiskMeasure.objects.filter(pk=overdue.pk).update(ended_on=D(2026, 6, 1))
    checks.check_risk_follow_up(D(2026, 6, 1))
    assert open_targets(Kind.RISK_FOLLOW_UP) == set()


def test_deviations_open_longer_than_the_programme_allows_are_flagged(world):
    limit = factories.lss_programme().deviation_max_open_days
    today = D(2026, 6, 1)
    client = lss_client(world, started_on=D(2020, 1, 1))
    at_limit = factories.DeviationFactory(
        client=client, occurred_on=today - dt.timedelta(days=limit)
    )
    too_long = factories.DeviationFactory(
        client=client,
        occurred_on=today - dt.timedelta(days=limit + 1),
        status=Deviation.Status.HANDLING,
    )
    checks.check_deviation_open(today)
    assert open_targets(Kind.DEVIATION_OPEN) == {too_long.pk}
    assert at_limit.pk not in open_targets(Kind.DEVIATION_OPEN)
    Deviation.objects.filter(pk=too_long.pk).update(status="closed", closed_on=today)
    checks.check_deviation_open(today)
    assert open_targets(Kind.DEVIATION_OPEN) == set()


def test_an_assignment_open_four_weeks_after_compulsory_care_ended_is_flagged(
    world, committee_unit
):
    days = factories.patient_committee_programme().care_ended_release_days
    today = D(2026, 6, 1)
    patient = factories.ClientFactory(
        unit=committee_unit,
        started_on=D(2026, 1, 1),
        compulsory_care_ended_on=today - dt.timedelta(days=days + 1),
    )
    at_limit = factories.ClientFactory(
        unit=committee_unit,
        started_on=D(2026, 1, 1),
        compulsory_care_ended_on=today - dt.timedelta(days=days),
    )
    lss = lss_client(world, started_on=D(2020, 1, 1), compulsory_care_ended_on=D(2025, 1, 1))
    flagged_assignment = assigned(patient)
    assigned(at_limit)
    assigned(lss)
    checks.check_care_ended(today)
    assert open_targets(Kind.CARE_ENDED) == {flagged_assignment.pk}
    Assignment.objects.filter(pk=flagged_assignment.pk).update(
        ended_on=today, end_reason=Assignment.EndReason.CARE_ENDED
    )
    checks.check_care_ended(today)
    assert open_targets(Kind.CARE_ENDED) == set()


# --- Flags: once, resolved, reopened ---------------------------------------------------


def test_running_a_check_twice_raises_nothing_twice(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    first = checks.run_checks(today=D(2026, 6, 1))
    count = Flag.objects.count()
    second = checks.run_checks(today=D(2026, 6, 1))
    assert Flag.objects.count() == count
    assert client.pk in open_targets(Kind.NO_SUPPORT_PERSON)
    assert sum(r.opened for r in first) > 0
    assert sum(r.opened for r in second) == 0
    assert sum(r.resolved for r in second) == 0


def test_a_flag_resolves_itself_and_comes_back_as_a_new_row(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    checks.check_no_support_person(D(2026, 6, 1))
    first = Flag.objects.get(kind=Kind.NO_SUPPORT_PERSON, target_id=client.pk)
    assignment = assigned(client, started_on=D(2026, 6, 2))
    checks.check_no_support_person(D(2026, 6, 2))
    first.refresh_from_db()
    assert first.resolved_at is not None
    Assignment.objects.filter(pk=assignment.pk).update(ended_on=D(2026, 6, 3), end_reason="other")
    checks.check_no_support_person(D(2026, 6, 3))
    rows = Flag.objects.filter(kind=Kind.NO_SUPPORT_PERSON, target_id=client.pk)
    assert rows.count() == 2
    second = rows.get(resolved_at__isnull=True)
    assert second.pk != first.pk
    assert second.raised_at >= first.resolved_at


def test_a_check_never_deletes_a_flag(world):
    client = lss_client(world, started_on=D(2020, 1, 1))
    checks.check_no_support_person(D(2026, 6, 1))
    Client.objects.filter(pk=client.pk).update(ended_on=D(2026, 6, 2))
    checks.check_no_support_person(D(2026, 6, 2))
    assert Flag.objects.filter(kind=Kind.NO_SUPPORT_PERSON, target_id=client.pk).count() == 1


def test_only_runs_the_checks_asked_for(world):
    lss_client(world, started_on=D(2020, 1, 1))
    results = checks.run_checks(today=D(2026, 6, 1), only=[Kind.REQUEST_LATE])
    assert {r.kind for r in results} == {Kind.REQUEST_LATE, Kind.REQUEST_DUE_SOON}
    assert not Flag.objects.exclude(kind__in=[Kind.REQUEST_LATE, Kind.REQUEST_DUE_SOON]).exists()
    with pytest.raises(ValueError, match="Unknown flag kind"):
        checks.run_checks(only=["nonsense"])


def test_the_command_runs_the_checks_as_of_a_day(world, capsys):
    client = lss_client(world, started_on=D(2020, 1, 1))
    call_command("run_checks", "--only", "no_support_person", "--today", "2026-06-01")
    assert "no_support_person: " in capsys.readouterr().out
    assert client.pk in open_targets(Kind.NO_SUPPORT_PERSON)
    assert not Flag.objects.exclude(kind=Kind.NO_SUPPORT_PERSON).exists()
    with pytest.raises(CommandError):
        call_command("run_checks", "--today", "2026-13-01")
    with pytest.raises(CommandError):
        call_command("run_checks", "--only", "nonsense")


# --- A fixed number of queries, whatever the number of clients -------------------------

TODAY = D(2026, 6, 25)
LONG_AGO = D(2020, 1, 1)


def _many(world, committee_unit, n: int) -> None:
    """n clients of each programme, each with something for every check to flag: half of
    the personal-assistance clients have a support person and an old plan, half have
    none; every patient has a support person although care ended long ago, and a request
    waiting since before Midsummer, with a pause that has ended."""
    lss = Client.objects.bulk_create(
        Client(unit=world.unit_a, first_name="K", last_name=str(i), started_on=LONG_AGO)
        for i in range(n)
    )
    patients = Client.objects.bulk_create(
        Client(
            unit=committee_unit,
            first_name="P",
            last_name=str(i),
            started_on=LONG_AGO,
            compulsory_care_ended_on=D(2026, 1, 1),
        )
        for i in range(n)
    )
    person = factories.SupportPersonFactory(unit=world.unit_a)
    assignments = Assignment.objects.bulk_create(
        Assignment(client=c, support_person=person, started_on=LONG_AGO)
        for c in lss[: n // 2] + patients
    )
    plan = lss_template(PLAN)
    DutyCheck.objects.bulk_create(
        DutyCheck(assignment=a, template=plan, done_on=D(2024, 1, 1)) for a in assignments[: n // 2]
    )
    Consent.objects.bulk_create(
        Consent(client=c, purpose="X", given_on=LONG_AGO, review_on=D(2025, 1, 1)) for c in lss
    )
    RiskMeasure.objects.bulk_create(
        RiskMeasure(
            client=c, kind="risk", description="X", decided_on=LONG_AGO, follow_up_on=D(2025, 1, 1)
        )
        for c in lss
    )
    Deviation.objects.bulk_create(
        Deviation(client=c, occurred_on=D(2025, 1, 1), description="X") for c in lss
    )
    requests = SupportRequest.objects.bulk_create(
        SupportRequest(client=c, received_at=at(D(2026, 6, 16 + i % 3)), source="patient")
        for i, c in enumerate(patients)
    )
    RequestPause.objects.bulk_create(
        RequestPause(request=r, started_on=D(2026, 6, 17), ended_on=D(2026, 6, 18), reason="X")
        for r in requests
    )


def _churn() -> None:
    """Between two runs: a few flags were resolved by hand (the check reopens them) and one
    points at a target that no longer needs it (the check resolves it)."""
    for kind in Kind.values:
        flags = list(Flag.objects.open().filter(kind=kind)[:3])
        Flag.objects.filter(pk__in=[f.pk for f in flags]).update(resolved_at=timezone.now())
        if flags:
            Flag.objects.create(kind=kind, client_id=flags[0].client_id, target_id=10**12)


CHECK_FUNCTIONS = {
    "plan": (checks.check_plan_overdue, [Kind.PLAN_OVERDUE]),
    "documentation": (checks.check_documentation_missing, [Kind.DOCUMENTATION_MISSING]),
    "requests": (checks.check_requests, [Kind.REQUEST_LATE, Kind.REQUEST_DUE_SOON]),
    "no_support_person": (checks.check_no_support_person, [Kind.NO_SUPPORT_PERSON]),
    "consent": (checks.check_consent_review, [Kind.CONSENT_REVIEW]),
    "risk": (checks.check_risk_follow_up, [Kind.RISK_FOLLOW_UP]),
    "deviation": (checks.check_deviation_open, [Kind.DEVIATION_OPEN]),
    "care_ended": (checks.check_care_ended, [Kind.CARE_ENDED]),
}

# The rule's queries (1-2), then SAVEPOINT, read the open flags, INSERT the missing, UPDATE
# the resolved, RELEASE (the savepoint pair is the test's transaction; in production the
# check's own transaction is a BEGIN/COMMIT that Django does not count).
PINNED = {
    "plan": 7,
    "documentation": 7,
    "requests": 7,
    "no_support_person": 7,
    "consent": 6,
    "risk": 6,
    "deviation": 7,
    # Two more: the extensions whose release day has come are looked for first (the
    # programmes and the care ends, flags/care_checks.py), and none is due here.
    "care_ended": 9,
}


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("name", list(CHECK_FUNCTIONS))
def test_each_check_runs_a_fixed_number_of_queries(
    world, committee_unit, n, name, django_assert_max_num_queries, django_assert_num_queries
):
    check, kinds = CHECK_FUNCTIONS[name]
    _many(world, committee_unit, n)
    with django_assert_max_num_queries(10):
        check(TODAY)
    flagged = Flag.objects.open().filter(kind__in=kinds).count()
    assert flagged >= n // 2
    _churn()
    with django_assert_num_queries(PINNED[name]):
        results = check(TODAY)
    assert sum(r.opened for r in results) == 3 * len(kinds) or name == "requests"
    assert sum(r.resolved for r in results) >= 1
    assert Flag.objects.open().filter(kind__in=kinds).count() == flagged


# --- Two runs at the same time (PostgreSQL) --------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite takes one writer at a time (IMMEDIATE transactions), "
    "so two runs cannot overlap there to begin with",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_leave_one_flag_per_object(monkeypatch):
    unit = factories.UnitFactory(name="Samtidigt")
    clients = [factories.ClientFactory(unit=unit, started_on=LONG_AGO) for _ in range(20)]
    # Both runs read "no open flags" before either writes: the worst interleaving.
    barrier = threading.Barrier(2, timeout=20)
    read = sync._open_flags

    def read_then_wait(kinds):
        rows = read(kinds)
        barrier.wait()
        return rows

    monkeypatch.setattr(sync, "_open_flags", read_then_wait)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            checks.check_no_support_person(TODAY)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    rows = Flag.objects.filter(kind=Kind.NO_SUPPORT_PERSON, target_id__in=[c.pk for c in clients])
    assert rows.count() == 20
    assert set(rows.values_list("target_id", flat=True)) == {c.pk for c in clients}


@pytest.mark.django_db
def test_a_patient_without_a_support_person_is_not_flagged(world):
    """Rule 1 is routine A's: at the patient committee a support person comes on request."""
    unit = factories.UnitFactory(programme=factories.patient_committee_programme())
    patient = factories.ClientFactory(unit=unit, started_on=dt.date(2025, 1, 1))
    checks.check_no_support_person(dt.date(2026, 11, 22))
    flagged = set(
        Flag.objects.open().filter(kind="no_support_person").values_list("client_id", flat=True)
    )
    assert patient.pk not in flagged
    assert world.client_a2.pk in flagged
