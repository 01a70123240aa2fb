"""The checks of the volunteer's contacts (flags/contact_checks.py): no contact in N days
(CASA's flag), and a monthly report not submitted by the n-th working day of the next
month, on the Swedish calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from assignments.models import MonthlyReport
from flags.checks import CHECKS, run_checks
from flags.contact_checks import check_no_contact, check_report_late, late_months
from flags.models import Flag
from tests import factories

D = dt.date


@pytest.fixture
def committee(db):
    return factories.patient_committee_programme()


def _assignment(programme, started_on: dt.date):
    unit = factories.UnitFactory(programme=programme)
    client = factories.ClientFactory(unit=unit, started_on=started_on - dt.timedelta(days=10))
    return factories.AssignmentFactory(client=client, started_on=started_on)


def _open(kind: str) -> set[int]:
    return set(Flag.objects.open().filter(kind=kind).values_list("target_id", flat=True))


def test_both_checks_are_registered():
    assert CHECKS[Flag.Kind.NO_CONTACT] is check_no_contact
    assert CHECKS[Flag.Kind.REPORT_LATE] is check_report_late


def test_no_contact_flags_after_exactly_n_days_and_not_on_the_nth(committee):
    assignment = _assignment(committee, D(2026, 3, 1))
    factories.SupportContactFactory(assignment=assignment, on=D(2026, 3, 10))
    n = committee.no_contact_days  # 14
    check_no_contact(D(2026, 3, 10) + dt.timedelta(days=n))
    assert _open(Flag.Kind.NO_CONTACT) == set()
    check_no_contact(D(2026, 3, 10) + dt.timedelta(days=n + 1))
    assert _open(Flag.Kind.NO_CONTACT) == {assignment.pk}
    flag = Flag.objects.get(kind=Flag.Kind.NO_CONTACT)
    assert flag.client_id == assignment.client_id and "2026-03-10" in flag.detail
    # A new contact resolves it.
    factories.SupportContactFactory(assignment=assignment, on=D(2026, 3, 25))
    check_no_contact(D(2026, 3, 25))
    assert _open(Flag.Kind.NO_CONTACT) == set()


def test_no_contact_counts_from_the_start_and_follows_the_programme(committee):
    committee.no_contact_days = 7
    committee.save()
    new = _assignment(committee, D(2026, 3, 1))
    check_no_contact(D(2026, 3, 8))
    assert _open(Flag.Kind.NO_CONTACT) == set()
    check_no_contact(D(2026, 3, 9))
    assert _open(Flag.Kind.NO_CONTACT) == {new.pk}


def test_no_contact_leaves_personal_assistance_and_ended_assignments_alone(committee):
    lss = _assignment(factories.lss_programme(), D(2026, 1, 1))
    ended = _assignment(committee, D(2026, 1, 1))
    ended.ended_on, ended.end_reason = D(2026, 2, 1), "care_ended"
    ended.save()
    check_no_contact(D(2026, 3, 20))
    assert _open(Flag.Kind.NO_CONTACT) == set()
    assert lss.pk


def test_a_december_report_is_due_on_the_fifth_working_day_of_january(committee):
    # January 2026: 1 Jan (Nyårsdagen, Thursday) and 6 Jan (Trettondedag jul, Tuesday) are
    # holidays, so the working days are 2, 5, 7, 8 and 9 January: due on Friday 9 January.
    assignment = _assignment(committee, D(2025, 12, 1))
    check_report_late(D(2026, 1, 9))
    assert _open(Flag.Kind.REPORT_LATE) == set()
    check_report_late(D(2026, 1, 10))
    assert _open(Flag.Kind.REPORT_LATE) == {assignment.pk}
    assert "december 2025" in Flag.objects.get(kind=Flag.Kind.REPORT_LATE).detail
    factories.MonthlyReportFactory(
        assignment=assignment, month=D(2025, 12, 1), state=MonthlyReport.State.SUBMITTED
    )
    check_report_late(D(2026, 1, 12))
    assert _open(Flag.Kind.REPORT_LATE) == set()


@pytest.mark.parametrize(
    ("state", "late"),
    [("draft", True), ("submitted", False), ("returned", False), ("approved", False)],
)
def test_only_a_report_never_handed_in_is_late(committee, state, late):
    assignment = _assignment(committee, D(2026, 2, 1))
    factories.MonthlyReportFactory(assignment=assignment, month=D(2026, 2, 1), state=state)
    # March 2026: the 5th working day is Friday 6 March.
    check_report_late(D(2026, 3, 9))
    assert _open(Flag.Kind.REPORT_LATE) == ({assignment.pk} if late else set())


def test_late_months_follow_the_assignment_and_the_due_day():
    # Started mid-month: that month counts; the current month never does.
    assert late_months(
        started_on=D(2026, 1, 20), ended_on=None, due_day=5, handed_in=set(), today=D(2026, 3, 6)
    ) == [D(2026, 1, 1)]
    assert late_months(
        started_on=D(2026, 1, 20), ended_on=None, due_day=5, handed_in=set(), today=D(2026, 3, 9)
    ) == [D(2026, 1, 1), D(2026, 2, 1)]
    # Ended in February: March is not owed.
    assert late_months(
        started_on=D(2026, 1, 20),
        ended_on=D(2026, 2, 10),
        due_day=5,
        handed_in={D(2026, 1, 1)},
        today=D(2026, 4, 30),
    ) == [D(2026, 2, 1)]
    # The first working day of a month that starts on a holiday: 2 January 2026.
    assert (
        late_months(
            started_on=D(2025, 12, 1),
            ended_on=None,
            due_day=1,
            handed_in=set(),
            today=D(2026, 1, 2),
        )
        == []
    )
    assert late_months(
        started_on=D(2025, 12, 1), ended_on=None, due_day=1, handed_in=set(), today=D(2026, 1, 3)
    ) == [D(2025, 12, 1)]


@pytest.mark.parametrize("rows", [1, 4])
def test_the_checks_run_in_a_fixed_number_of_queries(committee, django_assert_num_queries, rows):
    for _ in range(rows):
        _assignment(committee, D(2025, 11, 3))
    # The same count whatever the number of assignments (transactions and savepoints included).
    with django_assert_num_queries(13):
        run_checks(today=D(2026, 1, 12), only=[Flag.Kind.NO_CONTACT, Flag.Kind.REPORT_LATE])
    assert len(_open(Flag.Kind.REPORT_LATE)) == rows
    assert len(_open(Flag.Kind.NO_CONTACT)) == rows
