"""Personal assistance: coverage over the period (the routine's duties) and deviations, with
the counting rules of assignments.coverage, and the small-count protection."""

from __future__ import annotations

from datetime import date

import pytest

from clients.models import Client, Deviation
from duties.coverage import coverage_over_periods
from duties.models import DutyTemplate
from reports.figures import compute_figures
from reports.presentation import Share, Suppressed, present
from stodperson.tertials import Tertial
from tests import factories

pytestmark = pytest.mark.django_db

T3_2022 = Tertial(2022, 3)


@pytest.fixture
def lss(db):
    """c1: support person, current plan, documented every month. c2: support person, plan
    overdue, November not documented. c3: new on 20 December, no support person yet, in
    the grace period of both the plan and the documentation."""
    programme = factories.lss_programme()
    unit = factories.UnitFactory(programme=programme)
    plan = programme.duty_templates.get(code=DutyTemplate.Code.IMPLEMENTATION_PLAN)
    documentation = programme.duty_templates.get(code=DutyTemplate.Code.DOCUMENTATION)
    c1, c2 = (factories.ClientFactory(unit=unit, started_on=date(2021, 1, 1)) for _ in range(2))
    factories.ClientFactory(unit=unit, started_on=date(2022, 12, 20))  # c3
    for client, plan_on, months in (
        (c1, date(2022, 3, 1), (9, 10, 11, 12)),
        (c2, date(2021, 6, 1), (9, 10, 12)),
    ):
        assignment = factories.AssignmentFactory(client=client, started_on=date(2021, 1, 1))
        factories.DutyCheckFactory(assignment=assignment, template=plan, done_on=plan_on)
        for month in months:
            factories.DutyCheckFactory(
                assignment=assignment, template=documentation, done_on=date(2022, month, 15)
            )
    factories.DeviationFactory(
        client=c1,
        occurred_on=date(2022, 9, 10),
        status=Deviation.Status.CLOSED,
        closed_on=date(2022, 10, 1),
    )
    factories.DeviationFactory(client=c2, occurred_on=date(2022, 8, 1))
    factories.DeviationFactory(
        client=c2,
        occurred_on=date(2022, 12, 1),
        category=Deviation.Category.LEX_SARAH,
        status=Deviation.Status.HANDLING,
    )
    return programme


def test_coverage_over_the_period_follows_the_routine(lss):
    [coverage] = coverage_over_periods(
        Client.objects.filter(unit__programme=lss), [(date(2022, 9, 1), date(2022, 12, 31))]
    )
    assert coverage.clients == 3
    assert coverage.with_support_person == 2
    assert coverage.with_duties == 3
    assert coverage.with_current_plan == 2  # c1, and c3 still in the plan's grace period
    assert coverage.documentation_clients == 2  # c3 had no month due yet
    assert coverage.documented_every_month == 1
    assert coverage.documented_every_month_share == 50.0


def test_the_report_carries_coverage_and_deviations(lss):
    pa = compute_figures(lss, T3_2022, today=date(2023, 1, 15))["current"]["personal_assistance"]
    assert pa["support_person_share"] == 66.7
    assert pa["plan_share"] == 66.7
    assert pa["documented_every_month_share"] == 50.0
    assert pa["deviations_opened"] == 2
    assert pa["deviations_closed"] == 1
    assert pa["deviations_open_at_end"] == 2  # one from August, the lex Sarah from December
    assert pa["deviations_by_category"]["lex_sarah"] == {
        "opened": 1,
        "closed": 0,
        "open_at_end": 1,
    }


def test_shares_and_breakdowns_of_few_clients_are_suppressed(lss, settings):
    presentation = present(compute_figures(lss, T3_2022, today=date(2023, 1, 15)))
    assert presentation.suppressed
    shares = [row[3] for row in presentation.personal_assistance.rows]
    assert all(isinstance(share, Suppressed) for share in shares)
    lex_sarah = next(row for row in presentation.deviations.rows if row[0] == "Lex Sarah")
    assert [str(v) for v in lex_sarah[1:]] == ["< 5", "0", "< 5"]
    # Totals under the threshold are small counts too.
    assert [str(v) for v in presentation.deviations.rows[-1][1:]] == ["< 5", "< 5", "< 5"]


def test_with_a_smaller_threshold_the_same_figures_are_shown(lss, settings):
    settings.REPORT_MIN_GROUP_SIZE = 1
    presentation = present(compute_figures(lss, T3_2022, today=date(2023, 1, 15)))
    assert not presentation.suppressed
    assert presentation.personal_assistance.rows[0][3] == Share(66.7)
    assert presentation.deviations.rows[-1][1:] == [2, 1, 2]


def test_the_figures_run_a_fixed_number_of_queries_for_personal_assistance(
    lss, django_assert_num_queries
):
    # The eight of every programme, four for coverage and one for deviations.
    with django_assert_num_queries(13):
        compute_figures(lss, T3_2022, today=date(2023, 1, 15))
    unit = factories.UnitFactory(programme=lss)
    documentation = lss.duty_templates.get(code=DutyTemplate.Code.DOCUMENTATION)
    for _ in range(15):
        assignment = factories.AssignmentFactory(
            client=factories.ClientFactory(unit=unit, started_on=date(2022, 2, 1)),
            started_on=date(2022, 2, 1),
        )
        factories.DutyCheckFactory(
            assignment=assignment, template=documentation, done_on=date(2022, 10, 3)
        )
        factories.DeviationFactory(client=assignment.client, occurred_on=date(2022, 10, 3))
    with django_assert_num_queries(13):
        compute_figures(lss, T3_2022, today=date(2023, 1, 15))
