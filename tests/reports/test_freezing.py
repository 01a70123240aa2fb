"""A final report is frozen: its figures and text are stored, later changes to the data
never change it, and its PDF comes out the same. A draft keeps its figures as last
computed, and they are computed again each night."""

from __future__ import annotations

from datetime import date

import pytest

from assignments.models import Assignment
from reports import services
from reports.exports import report_pdf
from reports.figures import compute_figures
from reports.forms import NarrativeForm
from reports.models import TertialReport
from reports.tasks import refresh_draft_figures
from supportpersons.models import SupportPerson
from tests import factories

from .conftest import AFTER_T3_2022
from .test_pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(dataset, admin_user):
    return services.report_create(
        programme=dataset.programme, year=2022, tertial=3, by=admin_user, today=AFTER_T3_2022
    )


def test_a_new_report_is_a_draft_with_text_from_the_figures(report):
    assert report.status == TertialReport.Status.DRAFT
    assert "5 stödpersonsuppdrag förordnats" in report.assignments_text


def test_making_final_stores_figures_text_who_and_when(report, admin_user):
    final = services.report_finalise(report=report, by=admin_user, today=AFTER_T3_2022)
    final.refresh_from_db()
    assert final.is_final
    assert final.finalised_by == admin_user
    assert final.finalised_at is not None
    assert final.figures["current"]["assignments"]["appointed"] == 5


def test_later_changes_to_the_data_never_change_a_final_report(dataset, report, admin_user):
    final = services.report_finalise(report=report, by=admin_user, today=AFTER_T3_2022)
    texts = services.report_texts(final)
    before_figures = services.report_figures(final)
    before_pdf = report_pdf(before_figures, texts, final=True, finalised_at=final.finalised_at)

    # The data changes afterwards: a late-registered appointment, a deactivation.
    factories.AssignmentFactory(
        client=factories.ClientFactory(unit=dataset.unit, started_on=date(2022, 1, 1)),
        support_person=dataset.people["A"],
        started_on=date(2022, 11, 1),
    )
    SupportPerson.objects.filter(pk=dataset.people["F"].pk).update(deactivated_on=date(2022, 10, 1))
    Assignment.objects.filter(ended_on__isnull=True, started_on__lte=date(2022, 12, 1)).update(
        ended_on=date(2022, 12, 1), end_reason="other"
    )

    final = TertialReport.objects.get(pk=final.pk)
    after_figures = services.report_figures(final)
    assert after_figures == before_figures
    after_pdf = report_pdf(
        after_figures, services.report_texts(final), final=True, finalised_at=final.finalised_at
    )
    assert pdf_text(after_pdf) == pdf_text(before_pdf)
    assert after_pdf == before_pdf
    # A draft would have changed.
    fresh = compute_figures(dataset.programme, final.period, today=AFTER_T3_2022)
    assert fresh["current"]["assignments"]["appointed"] == 6
    assert fresh != after_figures


def test_a_final_report_cannot_be_edited(report, admin_user):
    final = services.report_finalise(report=report, by=admin_user, today=AFTER_T3_2022)
    form = NarrativeForm(
        {
            "activities_text": "Ändrad",
            "support_persons_text": "",
            "assignments_text": "",
            "planned_actions_text": "",
        },
        instance=final,
    )
    assert not form.is_valid()
    assert "Rapporten är fastställd och kan inte längre ändras." in form.non_field_errors()
    with pytest.raises(services.ServiceError):
        services.report_update_texts(
            report=final, texts={"activities_text": "Ändrad"}, by=admin_user
        )
    with pytest.raises(services.ServiceError):
        services.report_finalise(report=final, by=admin_user, today=AFTER_T3_2022)
    final.refresh_from_db()
    assert final.activities_text != "Ändrad"


def test_a_tertial_that_has_not_ended_cannot_be_made_final(report, admin_user):
    with pytest.raises(services.ServiceError):
        services.report_finalise(report=report, by=admin_user, today=date(2022, 12, 31))
    report.refresh_from_db()
    assert not report.is_final


def test_a_report_is_unique_per_programme_and_tertial(dataset, report, admin_user):
    with pytest.raises(services.ServiceError):
        services.report_create(
            programme=dataset.programme, year=2022, tertial=3, by=admin_user, today=AFTER_T3_2022
        )


def test_each_night_the_drafts_figures_are_computed_again_and_final_ones_are_not(
    dataset, report, admin_user
):
    earlier = services.report_create(
        programme=dataset.programme, year=2022, tertial=2, by=admin_user, today=AFTER_T3_2022
    )
    final = services.report_finalise(report=earlier, by=admin_user, today=AFTER_T3_2022)
    other = services.report_create(
        programme=dataset.programme, year=2022, tertial=1, by=admin_user, today=AFTER_T3_2022
    )
    stamp = TertialReport.objects.get(pk=report.pk).figures_computed_at
    factories.AssignmentFactory(
        client=factories.ClientFactory(unit=dataset.unit, started_on=date(2022, 1, 1)),
        support_person=dataset.people["A"],
        started_on=date(2022, 11, 1),
    )
    assert refresh_draft_figures() == 2

    draft = TertialReport.objects.get(pk=report.pk)
    assert draft.figures["current"]["assignments"]["appointed"] == 6
    assert draft.figures_computed_at > stamp
    assert draft.figures == compute_figures(dataset.programme, draft.period)
    assert TertialReport.objects.get(pk=other.pk).figures == compute_figures(
        dataset.programme, other.period
    )
    assert TertialReport.objects.get(pk=final.pk).figures == final.figures


def test_a_draft_from_before_the_figures_were_kept_computes_them_when_first_shown(report):
    TertialReport.objects.filter(pk=report.pk).update(figures={}, figures_computed_at=None)
    draft = TertialReport.objects.get(pk=report.pk)
    assert services.report_figures(draft)["current"]["assignments"]["appointed"] == 5
    stored = TertialReport.objects.get(pk=report.pk)
    assert stored.figures_computed_at is not None
    assert stored.figures["current"]["assignments"]["appointed"] == 5
