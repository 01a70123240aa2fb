"""The tertial report's figures, on a built dataset with known answers (see conftest.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from assignments.models import Offer
from reports.figures import FIGURES_VERSION, compute_figures
from stodperson.tertials import Tertial
from supportpersons.models import StatusChange, SupportPerson
from tests import factories

from .conftest import AFTER_T3_2022, Dataset

pytestmark = pytest.mark.django_db

T3_2022 = Tertial(2022, 3)


def figures(dataset: Dataset) -> dict:
    return compute_figures(dataset.programme, T3_2022, today=AFTER_T3_2022)


def test_the_figures_are_json_with_a_version(dataset):
    result = figures(dataset)
    assert json.loads(json.dumps(result)) == result
    assert result["version"] == FIGURES_VERSION
    assert result["period"]["label"] == "T3 2022"
    assert result["comparisons"]["previous"]["label"] == "T2 2022"
    assert result["comparisons"]["last_year"]["label"] == "T3 2021"


def test_it_counts_assignments_as_flows_and_stocks(dataset):
    assignments = figures(dataset)["current"]["assignments"]
    # X began in T2 and was released in T3; Y was released on the last day, so it is not
    # active at the end.
    assert assignments["active_at_start"] == 1
    assert assignments["appointed"] == 5
    assert assignments["released"] == 2
    assert assignments["active_at_end"] == 4
    assert assignments["released_by_reason"] == {"care_ended": 2}


def test_it_measures_time_to_appointment_in_working_days(dataset):
    requests = figures(dataset)["current"]["requests"]
    assert requests["received"] == 7
    assert requests["answered"] == 4
    assert requests["withdrawn"] == 1
    # R2 0 days, R1 2 (over Christmas), R3 4 (pause left out), R4 5.
    assert requests["distribution"] == {"0": 1, "1": 0, "2": 1, "3": 0, "4": 1, "5+": 1}
    assert requests["median_working_days"] == 3
    assert requests["within_one"] == 1
    assert requests["within_one_share"] == 25.0
    assert requests["within_target"] == 2
    assert requests["within_target_share"] == 50.0


def test_a_request_spanning_christmas_counts_only_working_days(dataset):
    requests = figures(dataset)["current"]["requests"]
    # Received Friday 23 December, appointed Wednesday 28 December: julafton, the weekend
    # and annandag jul do not count, so it is day 2 and within the target.
    late_days = [row["working_days"] for row in requests["late"]]
    assert 2 not in late_days


def test_an_excused_delay_is_shown_apart_from_a_miss_and_a_withdrawal_is_neither(dataset):
    requests = figures(dataset)["current"]["requests"]
    assert requests["missed"] == 1
    assert requests["excused"] == 1
    assert requests["late"] == [
        {
            "working_days": 5,
            "reason": "Ingen stödperson med rätt språk var ledig.",
            "excused": False,
        },
        {
            "working_days": 4,
            "reason": "Patienten kunde inte ta ställning på grund av sitt hälsotillstånd.",
            "excused": True,
        },
    ]
    # R7 waits past its deadline at the end; R6 (29 December) is still within its target.
    assert requests["waiting_late_at_end"] == 1


def test_the_pool_reconciles_with_a_reactivation_as_a_third_flow(dataset):
    pool = figures(dataset)["current"]["support_persons"]
    assert pool["opening"] == 4  # A, B, E, F (D was inactive, G never active)
    assert pool["recruited"] == 1  # C
    assert pool["reactivated"] == 1  # D
    assert pool["deactivated"] == 2  # B on the last day, E on the first
    assert pool["closing"] == 4  # A, C, D, F
    assert pool["difference"] == 0
    assert pool["register_closing"] == 4


def test_a_person_deactivated_on_the_last_day_is_not_active_at_the_end(dataset):
    pool = figures(dataset)["current"]["support_persons"]
    umea = next(row for row in pool["by_locality"] if row["locality"] == "Umeå")
    assert umea["deactivated"] == {"woman": 0, "man": 1, "other": 0}
    assert umea["active"] == {"woman": 3, "man": 0, "other": 0}
    skelleftea = next(row for row in pool["by_locality"] if row["locality"] == "Skellefteå")
    assert skelleftea["recruited"] == {"woman": 1, "man": 0, "other": 0}
    assert skelleftea["deactivated"] == {"woman": 0, "man": 1, "other": 0}
    assert umea["reactivated"] == {"woman": 1, "man": 0, "other": 0}


def test_the_pool_agrees_with_the_status_history_query_where_there_is_one(dataset):
    from supportpersons import models as sp_models

    in_pool_on = getattr(sp_models, "in_pool_on", None)
    if in_pool_on is None:
        pytest.skip("supportpersons.models.in_pool_on is not there")
    pool = figures(dataset)["current"]["support_persons"]
    people = SupportPerson.objects.filter(programme=dataset.programme)
    assert in_pool_on(date(2022, 8, 31), people).count() == pool["opening"]
    assert in_pool_on(date(2022, 12, 31), people).count() == pool["closing"]


def test_the_check_against_the_dates_shows_where_the_history_differs(dataset):
    d = dataset.people["D"]
    # Reactivated in the history, but the deactivation date left on the person.
    SupportPerson.objects.filter(pk=d.pk).update(deactivated_on=date(2022, 6, 1))
    pool = figures(dataset)["current"]["support_persons"]
    assert pool["closing"] == 4
    assert pool["difference"] == 0
    assert pool["register_closing"] == 3


def test_attendance_is_measured_against_the_persons_active_that_day(dataset):
    activities = figures(dataset)["current"]["activities"]
    assert activities["held"] == 1
    assert activities["cancelled"] == 1
    held, cancelled = activities["events"]
    assert held["localities"] == [
        {"locality": "Umeå", "registered": 3, "attended": 2, "active": 3, "rate": 66.7}
    ]
    assert cancelled["cancel_reason"] == "För få anmälda"
    assert cancelled["localities"][0]["registered"] == 1
    assert cancelled["localities"][0]["attended"] is None


def test_collaboration_lists_the_forums_in_the_period(dataset):
    collaboration = figures(dataset)["current"]["collaboration"]
    assert collaboration["count"] == 2
    assert collaboration["forums"] == ["Frivilligdagen", "Myndighetssamverkan"]


def test_each_figure_stands_beside_the_previous_tertial_and_a_year_earlier(dataset):
    result = figures(dataset)
    previous = result["comparisons"]["previous"]["figures"]
    last_year = result["comparisons"]["last_year"]["figures"]
    assert previous["assignments.appointed"] == 1  # X, in June
    assert previous["activities.held"] == 1
    assert previous["collaboration.count"] == 1
    assert last_year["assignments.appointed"] == 0
    assert last_year["requests.median_working_days"] is None


def test_an_empty_programme_gives_dashes_not_errors(db):
    programme = factories.ProgrammeFactory(kind="patient_committee")
    result = compute_figures(programme, T3_2022, today=AFTER_T3_2022)
    requests = result["current"]["requests"]
    assert requests["median_working_days"] is None
    assert requests["within_target_share"] is None
    assert result["current"]["support_persons"]["closing"] == 0


def test_an_empty_personal_assistance_programme_too(db):
    programme = factories.ProgrammeFactory(kind="lss")
    pa = compute_figures(programme, T3_2022, today=AFTER_T3_2022)["current"]["personal_assistance"]
    assert pa["clients"] == 0
    assert pa["support_person_share"] is None
    assert pa["documented_every_month_share"] is None


def test_a_tertial_that_has_not_ended_is_cut_at_today(dataset):
    result = compute_figures(dataset.programme, T3_2022, today=date(2022, 10, 31))
    assert result["period"]["as_of"] == "2022-10-31"
    assignments = result["current"]["assignments"]
    assert assignments["appointed"] == 3  # Y (1 Sep), R4 (20 Sep), R2 (3 Oct)
    assert assignments["released"] == 1  # X


# Eight for the figures, one for the offers (reports/offer_figures.py), two for the patient
# committee's contacts (reports/contact_figures.py) and two for the figures by legal basis
# (reports/legal_basis_figures.py).
FIGURE_QUERIES = 13


def test_the_figures_run_a_fixed_number_of_queries(dataset, django_assert_num_queries):
    with django_assert_num_queries(FIGURE_QUERIES):
        figures(dataset)
    # Many more rows of every kind: the same queries.
    unit = dataset.unit
    for i in range(15):
        person = factories.SupportPersonFactory(
            programme=dataset.programme, locality=dataset.umea, recruited_on=date(2022, 9, 1 + i)
        )
        StatusChange.objects.create(
            support_person=person, status=SupportPerson.Status.ACTIVE, on=date(2022, 9, 1 + i)
        )
        request = factories.RequestFactory(
            client=factories.ClientFactory(unit=unit, started_on=date(2022, 1, 1)),
            received_at=dataset.requests["R2"].received_at,
        )
        factories.RequestPauseFactory(
            request=request, started_on=date(2022, 10, 4), ended_on=date(2022, 10, 5)
        )
        factories.AssignmentFactory(
            client=request.client,
            support_person=person,
            started_on=date(2022, 10, 6),
            request=request,
        )
        event = factories.TrainingEventFactory(
            programme=dataset.programme, locality=dataset.umea, on=date(2022, 10, 1 + i)
        )
        factories.RegistrationFactory(event=event, support_person=person, attended=True)
        factories.CollaborationActivityFactory(programme=dataset.programme, on=date(2022, 11, 1))
        Offer.objects.create(
            request=request,
            support_person=person,
            offered_at=request.received_at,
            expires_at=request.received_at + timedelta(hours=24),
            status=Offer.Status.ACCEPTED,
            answered_at=request.received_at + timedelta(hours=3),
        )
        factories.SupportContactFactory(assignment=request.assignment, on=date(2022, 10, 7))
    with django_assert_num_queries(FIGURE_QUERIES):
        figures(dataset)


def test_the_management_command_prints_the_figures_as_json(dataset, capsys):
    call_command(
        "tertial_figures",
        "--programme",
        dataset.programme.slug,
        "--period",
        "2022-T3",
        "--today",
        "2023-01-15",
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["current"]["assignments"]["appointed"] == 5
