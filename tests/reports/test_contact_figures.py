"""The tertial report's contact figures (reports/contact_figures.py) on a built data set with
known answers: T1 2026 (1 January to 30 April), a target of one contact a week.

- A runs all period, a contact in each of its 17 weeks from 1 January (one a court
  hearing, one a call), and one on 31 December that is outside the period: meets it.
- B starts on Wednesday 28 January and is released on 18 February: its weeks are 28 Jan -
  3 Feb (across the month boundary; a visit on 2 Feb), 4-10 Feb (none) and 11-17 Feb (a
  visit): misses it.
- C starts on 27 April: four days, no complete week, not measured; one call.
- D starts on 1 March, a contact on the last day of each of its eight weeks (one a court
  hearing): meets it; 26-30 April is not a complete week and is not judged.

So 28 contacts (24 visits, 2 calls, 2 court hearings), and 2 of 3 assignments measured meet
the target.
"""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse

from assignments.models import SupportContact
from reports import services
from reports.contact_figures import meets_target
from reports.exports import figures_csv, report_pdf
from reports.figures import compute_figures
from stodperson.tertials import Tertial
from tests import factories

pytestmark = pytest.mark.django_db

T1_2026 = Tertial(2026, 1)
AFTER = date(2026, 5, 15)
Kind = SupportContact.Kind


@pytest.fixture
def committee():
    programme = factories.patient_committee_programme()
    programme.contact_target_days = 7
    programme.save()
    return programme


def _assignment(programme, started_on, ended_on=None):
    unit = factories.UnitFactory(programme=programme)
    client = factories.ClientFactory(unit=unit, started_on=date(2025, 1, 1))
    return factories.AssignmentFactory(
        client=client,
        started_on=started_on,
        ended_on=ended_on,
        end_reason="care_ended" if ended_on else "",
    )


def _contacts(assignment, days, kinds=None):
    for i, day in enumerate(days):
        factories.SupportContactFactory(
            assignment=assignment, on=day, kind=(kinds or {}).get(i, Kind.VISIT)
        )


@pytest.fixture
def dataset(committee):
    a = _assignment(committee, date(2025, 12, 1))
    _contacts(
        a,
        [date(2026, 1, 1) + timedelta(days=7 * i) for i in range(17)],
        {3: Kind.COURT_HEARING, 5: Kind.PHONE},
    )
    _contacts(a, [date(2025, 12, 31)])
    b = _assignment(committee, date(2026, 1, 28), date(2026, 2, 18))
    _contacts(b, [date(2026, 2, 2), date(2026, 2, 11)])
    c = _assignment(committee, date(2026, 4, 27))
    _contacts(c, [date(2026, 4, 28)], {0: Kind.PHONE})
    d = _assignment(committee, date(2026, 3, 1))
    _contacts(
        d, [date(2026, 3, 7) + timedelta(days=7 * i) for i in range(8)], {1: Kind.COURT_HEARING}
    )
    # Another programme's contact is not counted.
    lss = _assignment(factories.lss_programme(), date(2026, 1, 5))
    _contacts(lss, [date(2026, 2, 1)])
    return committee


def test_contacts_by_kind_and_the_share_meeting_the_target(dataset):
    contacts = compute_figures(dataset, T1_2026, today=AFTER)["current"]["contacts"]
    assert contacts == {
        "by_kind": {"visit": 24, "phone": 2, "court_hearing": 2, "other": 0},
        "total": 28,
        "court_hearings": 2,
        "target_days": 7,
        "assignments_measured": 3,
        "meeting_target": 2,
        "target_share": 66.7,
    }


def test_an_unfinished_period_judges_only_complete_weeks(dataset):
    # On 10 February B's second week (4-10 Feb) is complete and empty.
    contacts = compute_figures(dataset, T1_2026, today=date(2026, 2, 10))["current"]["contacts"]
    assert contacts["assignments_measured"] == 2  # A and B; C and D had not begun
    assert contacts["meeting_target"] == 1


def test_meets_target_at_the_edges():
    first = date(2026, 1, 28)
    # Exactly one week, a contact on its last day.
    assert meets_target([date(2026, 2, 3)], first, date(2026, 2, 3), 7) is True
    # One day short of a week: not judged.
    assert meets_target([], first, date(2026, 2, 2), 7) is None
    # A contact the day after the week is in the next one.
    assert meets_target([date(2026, 2, 4)], first, date(2026, 2, 3), 7) is False


def test_another_programme_has_no_contact_figures(db):
    lss = factories.lss_programme()
    assert compute_figures(lss, T1_2026, today=AFTER)["current"]["contacts"] is None


def test_the_page_the_pdf_and_the_csv_show_the_contacts(dataset, admin_user):
    figures = compute_figures(dataset, T1_2026, today=AFTER)
    csv = figures_csv(figures).decode("utf-8")
    assert "Kontakter med patienterna" in csv
    assert "Förhandlingar där stödpersonen deltog;2" in csv
    assert "Kontakter totalt;28" in csv
    pdf = report_pdf(figures, {}, final=False)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Kontakter med patienterna" in text
    assert "Förhandlingar där stödpersonen deltog" in text
    report = services.report_create(
        programme=dataset, year=2026, tertial=1, by=admin_user, today=AFTER
    )
    from django.test import Client as HttpClient

    http = HttpClient()
    http.force_login(admin_user)
    page = http.get(reverse("reports:detail", kwargs={"pk": report.pk})).content.decode()
    assert "Kontakter med patienterna" in page
    assert "Uppdrag som nådde kontaktmålet" in page
