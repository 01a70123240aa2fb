"""The tertial report screens: who may and who may not, and what each one does."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import kombu.exceptions
import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportBatch, TertialReport
from reports.tasks import produce_batch
from tests import factories

from .conftest import AFTER_T3_2022

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def report(dataset, admin_user):
    return services.report_create(
        programme=dataset.programme, year=2022, tertial=3, by=admin_user, today=AFTER_T3_2022
    )


@pytest.fixture
def batch(dataset, admin_user):
    return ReportBatch.objects.create(
        created_by=admin_user,
        items=[{"programme": dataset.programme.pk, "year": 2022, "tertial": 3}],
        total=1,
    )


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def urls(report, batch):
    return [
        url("list"),
        url("create"),
        url("detail", report.pk),
        url("finalise", report.pk),
        url("pdf", report.pk),
        url("export", report.pk, "csv"),
        url("export", report.pk, "xlsx"),
        url("batch_create"),
        url("batch", batch.pk),
    ]


# --- Who may and who may not ---------------------------------------------------------------


def test_administrators_may_open_every_report_page(as_admin, report, batch):
    for address in urls(report, batch):
        assert as_admin.get(address).status_code == 200, address


@pytest.mark.parametrize(
    "persona", ["as_manager_a", "as_support_person", "as_support_person_without_client"]
)
def test_nobody_else_may(request, persona, report, batch):
    http = request.getfixturevalue(persona)
    for address in [*urls(report, batch), url("batch_download", batch.pk)]:
        assert http.get(address).status_code == 403, address
    for address in (
        url("create"),
        url("detail", report.pk),
        url("regenerate", report.pk),
        url("refresh", report.pk),
        url("finalise", report.pk),
        url("batch_create"),
        url("batch", batch.pk),
    ):
        assert http.post(address, {}).status_code == 403, address
    report.refresh_from_db()
    assert not report.is_final


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, report, batch):
    for address in urls(report, batch):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unknown_ids_are_not_found(as_admin, report, batch):
    for address in (
        url("detail", 999999),
        url("finalise", 999999),
        url("pdf", 999999),
        url("export", 999999, "csv"),
        url("export", report.pk, "docx"),
        url("batch", 999999),
        url("batch_download", 999999),
        url("batch_download", batch.pk),  # not ready yet
    ):
        assert as_admin.get(address).status_code == 404, address


def test_the_menu_shows_the_reports_to_administrators_only(as_admin, as_manager_a):
    assert url("list") in as_admin.get(reverse("home"), follow=True).content.decode()
    assert url("list") not in as_manager_a.get(reverse("home"), follow=True).content.decode()


# --- What they do ----------------------------------------------------------------------------


def test_an_administrator_creates_a_report_with_text_from_the_figures(as_admin, dataset):
    response = as_admin.post(
        url("create"), {"programme": dataset.programme.pk, "year": 2022, "tertial": 3}
    )
    report = TertialReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", report.pk)
    assert "5 stödpersonsuppdrag förordnats" in report.assignments_text


def test_the_same_report_cannot_be_created_twice(as_admin, report, dataset):
    response = as_admin.post(
        url("create"), {"programme": dataset.programme.pk, "year": 2022, "tertial": 3}
    )
    assert response.status_code == 200
    assert TertialReport.objects.count() == 1
    page = response.content.decode()
    # In Swedish, saying what to do, with the way there (not Django's "… med samma
    # Verksamhet, År och Tertial finns redan.").
    assert (
        "Det finns redan en rapport för den här verksamheten och tertialen. Öppna den i stället."
        in page
    )
    assert "finns redan." not in page.replace("i stället.", "")
    assert f'href="{url("detail", report.pk)}" data-testid="existing-report"' in page


def test_the_report_page_shows_the_figures_and_saves_the_text(as_admin, report):
    page = as_admin.get(url("detail", report.pk))
    html = page.content.decode()
    assert 'data-testid="reconciliation"' in html
    assert "<svg" in html
    response = as_admin.post(
        url("detail", report.pk),
        {
            "activities_text": "Två kvällsmöten.",
            "support_persons_text": "Fler män behövs.",
            "assignments_text": "Målvärdet uppfyllt.",
            "planned_actions_text": "Rekrytering.",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.activities_text == "Två kvällsmöten."


def test_the_form_refuses_to_change_a_final_report(as_admin, report, admin_user):
    services.report_finalise(report=report, by=admin_user)
    before = report.activities_text
    response = as_admin.post(
        url("detail", report.pk),
        {
            "activities_text": "Ändrat i efterhand",
            "support_persons_text": "",
            "assignments_text": "",
            "planned_actions_text": "",
        },
    )
    assert response.status_code == 400
    assert "Rapporten är fastställd och kan inte längre ändras." in response.content.decode()
    assert "Ändrat i efterhand" not in response.content.decode()
    report.refresh_from_db()
    assert report.activities_text == before
    assert as_admin.post(url("regenerate", report.pk)).status_code == 302
    report.refresh_from_db()
    assert report.activities_text == before


def test_finalising_asks_for_confirmation(as_admin, report):
    assert as_admin.post(url("finalise", report.pk), {}).status_code == 200
    report.refresh_from_db()
    assert not report.is_final
    response = as_admin.post(url("finalise", report.pk), {"confirm": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_final
    assert report.figures["current"]["assignments"]["appointed"] == 5


def test_the_text_can_be_written_again_from_the_figures(as_admin, report):
    TertialReport.objects.filter(pk=report.pk).update(assignments_text="")
    assert as_admin.post(url("regenerate", report.pk)).status_code == 302
    report.refresh_from_db()
    assert "stödpersonsuppdrag förordnats" in report.assignments_text


def test_the_downloads_are_files(as_admin, report):
    pdf = as_admin.get(url("pdf", report.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="rapport-patientnamnden-2022-T3-utkast.pdf"' in pdf["Content-Disposition"]
    csv = as_admin.get(url("export", report.pk, "csv"))
    assert csv["Content-Type"].startswith("text/csv")
    assert "Förordnade uppdrag;5" in csv.content.decode("utf-8-sig")
    xlsx = as_admin.get(url("export", report.pk, "xlsx"))
    assert xlsx.content[:2] == b"PK"


def _more_data(dataset):
    """Twenty more support persons, each with an appointment and a training in T3 2022."""
    for i in range(20):
        person = factories.SupportPersonFactory(
            programme=dataset.programme, locality=dataset.umea, recruited_on=date(2022, 9, 1)
        )
        factories.AssignmentFactory(
            client=factories.ClientFactory(unit=dataset.unit, started_on=date(2022, 1, 1)),
            support_person=person,
            started_on=date(2022, 10, 1 + i),
        )
        factories.RegistrationFactory(
            event=factories.TrainingEventFactory(
                programme=dataset.programme, locality=dataset.umea, on=date(2022, 11, 1 + i)
            ),
            support_person=person,
        )


def test_the_report_page_runs_a_fixed_number_of_queries(
    as_admin, report, dataset, django_assert_num_queries
):
    address = url("detail", report.pk)
    as_admin.get(address)  # the session and the caches warm
    with django_assert_num_queries(QUERIES_ON_THE_REPORT_PAGE):
        assert as_admin.get(address).status_code == 200
    _more_data(dataset)
    with django_assert_num_queries(QUERIES_ON_THE_REPORT_PAGE):
        assert as_admin.get(address).status_code == 200


def test_computing_the_figures_again_runs_a_fixed_number_of_queries(
    as_admin, report, dataset, django_assert_num_queries
):
    address = url("refresh", report.pk)
    as_admin.post(address)
    with django_assert_num_queries(QUERIES_TO_COMPUTE_AGAIN):
        assert as_admin.post(address).status_code == 302
    _more_data(dataset)
    with django_assert_num_queries(QUERIES_TO_COMPUTE_AGAIN):
        assert as_admin.post(address).status_code == 302


def test_a_draft_shows_its_figures_as_last_computed_until_they_are_computed_again(
    as_admin, report, dataset
):
    page = as_admin.get(url("detail", report.pk)).content.decode()
    assert "siffrorna räknades fram ur registret" in page
    assert _appointed(page) == "5"
    _more_data(dataset)
    assert _appointed(as_admin.get(url("detail", report.pk)).content.decode()) == "5"
    assert "Förordnade uppdrag;5" in as_admin.get(url("export", report.pk, "csv")).content.decode(
        "utf-8-sig"
    )
    response = as_admin.post(url("refresh", report.pk), follow=True)
    page = response.content.decode()
    assert "Siffrorna har räknats om." in page
    assert _appointed(page) == "25"
    assert "Förordnade uppdrag;25" in as_admin.get(url("export", report.pk, "csv")).content.decode(
        "utf-8-sig"
    )


def test_a_final_report_is_not_computed_again(as_admin, report, admin_user, dataset):
    services.report_finalise(report=report, by=admin_user)
    _more_data(dataset)
    response = as_admin.post(url("refresh", report.pk), follow=True)
    assert "Rapporten är fastställd och kan inte längre ändras." in response.content.decode()
    report.refresh_from_db()
    assert report.figures["current"]["assignments"]["appointed"] == 5


def _appointed(page: str) -> str:
    """The key figure "appointed" of the tertial, as the page shows it."""
    found = re.search(r"Förordnade uppdrag</th><td[^>]*>([^<]*)<", page)
    assert found, "no key figure for appointments"
    return found.group(1)


def test_a_final_report_page_reads_no_figures_from_the_register(
    as_admin, report, admin_user, django_assert_num_queries
):
    services.report_finalise(report=report, by=admin_user)
    address = url("detail", report.pk)
    as_admin.get(address)
    with django_assert_num_queries(QUERIES_ON_THE_REPORT_PAGE):
        assert as_admin.get(address).status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(
    as_admin, report, dataset, batch, django_assert_num_queries
):
    as_admin.get(url("list"))
    with django_assert_num_queries(QUERIES_ON_THE_LIST):
        assert as_admin.get(url("list")).status_code == 200
    for year in (2019, 2020, 2021):
        factories.TertialReportFactory(programme=dataset.programme, year=year, tertial=1)
    with django_assert_num_queries(QUERIES_ON_THE_LIST):
        assert as_admin.get(url("list")).status_code == 200


# The session, the user, the roles (3), the nav badge and the report: 7, a draft's as a final
# report's (both show stored figures). The session is written at most once a minute.
QUERIES_ON_THE_REPORT_PAGE = 7
# The session, the user, the role, the report, the figures (8: reports.figures, whatever the
# size of the data; for the patient committee one for the offers, two for the contacts and
# two by legal basis) and storing them.
QUERIES_TO_COMPUTE_AGAIN = 1 + 1 + 1 + 1 + 8 + 1 + 2 + 2 + 1
# The same 6 around it, and the reports, the programmes and the batches.
QUERIES_ON_THE_LIST = 9


# --- Many reports at once --------------------------------------------------------------------


def test_a_batch_is_produced_by_the_task_and_can_be_downloaded(
    as_admin, dataset, report, django_capture_on_commit_callbacks
):
    other = factories.ProgrammeFactory(kind="lss")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(
            url("batch_create"),
            {"programmes": [dataset.programme.pk, other.pk], "first": "2022-T2", "last": "2022-T3"},
        )
    batch = ReportBatch.objects.get()
    assert response["Location"] == url("batch", batch.pk)
    assert batch.status == ReportBatch.Status.DONE
    assert (batch.done, batch.total) == (4, 4)
    page = as_admin.get(url("batch", batch.pk)).content.decode()
    assert "every 2s" not in page
    assert url("batch_download", batch.pk) in page
    archive = zipfile.ZipFile(io.BytesIO(as_admin.get(url("batch_download", batch.pk)).content))
    names = sorted(archive.namelist())
    assert "rapport-patientnamnden-2022-T3-utkast.pdf" in names
    assert f"rapport-{other.slug}-2022-T2-utkast.csv" in names
    assert len(names) == 8


def test_the_progress_page_polls_until_done_and_works_without_javascript(as_admin, batch):
    page = as_admin.get(url("batch", batch.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    # Without JavaScript: a link that loads the page again.
    assert f'href="{url("batch", batch.pk)}"' in page
    fragment = as_admin.get(url("batch", batch.pk), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="batch-progress"')
    produce_batch(batch.pk)
    fragment = as_admin.get(url("batch", batch.pk), headers={"HX-Request": "true"})
    assert "every 2s" not in fragment.content.decode()


def test_a_broker_that_is_down_never_breaks_the_page(
    as_admin, dataset, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Connection refused")

    monkeypatch.setattr(produce_batch, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(
            url("batch_create"),
            {"programmes": [dataset.programme.pk], "first": "2022-T3", "last": "2022-T3"},
        )
    batch = ReportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ReportBatch.Status.PENDING
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        as_admin.post(url("batch", batch.pk))
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.DONE


def test_a_batch_is_produced_once_however_often_it_is_sent(batch):
    assert produce_batch(batch.pk) is True
    assert produce_batch(batch.pk) is False
    batch.refresh_from_db()
    assert batch.done == 1


def test_a_batch_form_refuses_a_range_the_wrong_way_round(as_admin, dataset):
    response = as_admin.post(
        url("batch_create"),
        {"programmes": [dataset.programme.pk], "first": "2022-T3", "last": "2022-T1"},
    )
    assert response.status_code == 200
    assert not ReportBatch.objects.exists()


def test_a_personal_assistance_report_shows_the_follow_up_of_the_routine(as_admin, admin_user):
    programme = factories.lss_programme()
    report = services.report_create(
        programme=programme, year=2022, tertial=3, by=admin_user, today=AFTER_T3_2022
    )
    page = as_admin.get(url("detail", report.pk))
    assert page.status_code == 200
    assert 'id="chart-coverage-title"' in page.content.decode()
    pdf = as_admin.get(url("pdf", report.pk))
    assert pdf.content.startswith(b"%PDF")
