"""The tertial figures by legal basis and the requests closed by outcome
(reports/legal_basis_figures.py), on a built data set with known answers for T3 2022
(1 September - 31 December 2022): flows over the period, a stock on its last day.

Assignments (patient committee):
- L1 LPT  1 Jun - 15 Sep: released in the period.
- L2 LPT  10 Sep - open: appointed, active at the end.
- L3 LPT  1 Oct - 31 Dec: appointed and released (not active on its release day).
- V1 LRV  31 Aug - 5 Jan 2023: active at the end only.
- V2 LRV  31 Dec - open: appointed on the last day, active at the end.
- S1 SmL  1 Nov - 20 Nov: appointed and released.
- S2 SmL  2 Jan 2023 - open: after the period, not counted.
- N1 none 1 May - 31 Aug: released the day before the period, not counted.
- N2 none 1 Sep - open: appointed on the first day, active at the end.
LPT 2/2/1, LRV 1/0/2, SmL 1/1/0, not recorded 1/0/1; in all 5/3/4 (appointed, released,
active at the end), the same as the report's totals.

Requests withdrawn: by the patient 3 Oct, declined after an offer 2 Nov, care ended 31 Dec
at 23.30, one from before outcomes were recorded on 5 Sep ("other"); one by the patient on
1 January 2023 at 00.30 is outside.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.exports import figures_csv, report_pdf
from reports.figures import compute_figures
from reports.narrative import generated_texts
from stodperson.tertials import Tertial
from tests import factories
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

T3 = Tertial(2022, 3)
AFTER = date(2023, 1, 15)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def built(db, settings):
    settings.REPORT_MIN_GROUP_SIZE = 1  # every count shown
    programme = factories.patient_committee_programme()
    unit = factories.UnitFactory(programme=programme)
    spans = {
        "L1": ("lpt", date(2022, 6, 1), date(2022, 9, 15)),
        "L2": ("lpt", date(2022, 9, 10), None),
        "L3": ("lpt", date(2022, 10, 1), date(2022, 12, 31)),
        "V1": ("lrv", date(2022, 8, 31), date(2023, 1, 5)),
        "V2": ("lrv", date(2022, 12, 31), None),
        "S1": ("sml", date(2022, 11, 1), date(2022, 11, 20)),
        "S2": ("sml", date(2023, 1, 2), None),
        "N1": ("", date(2022, 5, 1), date(2022, 8, 31)),
        "N2": ("", date(2022, 9, 1), None),
    }
    for basis, started, ended in spans.values():
        client = factories.ClientFactory(unit=unit, legal_basis=basis, started_on=date(2022, 1, 1))
        factories.AssignmentFactory(
            client=client,
            started_on=started,
            ended_on=ended,
            end_reason="care_ended" if ended else "",
        )
    for kind, when in [
        ("withdrawn_by_patient", at(date(2022, 10, 3))),
        ("declined_after_offer", at(date(2022, 11, 2))),
        ("care_ended", at(date(2022, 12, 31), 23, 30)),
        ("", at(date(2022, 9, 5))),
        ("withdrawn_by_patient", at(date(2023, 1, 1), 0, 30)),
    ]:
        factories.RequestFactory(
            client=factories.ClientFactory(unit=unit, started_on=date(2022, 1, 1)),
            received_at=when.replace(hour=0, minute=5),
            withdrawn_at=when,
            withdrawal_reason="Skäl",
            withdrawal_kind=kind,
        )
    return programme


def test_the_figures_by_legal_basis_have_the_known_answers(built):
    figures = compute_figures(built, T3, today=AFTER)
    current = figures["current"]
    assert current["legal_basis"]["by_basis"] == {
        "lpt": {"appointed": 2, "released": 2, "active_at_end": 1},
        "lrv": {"appointed": 1, "released": 0, "active_at_end": 2},
        "sml": {"appointed": 1, "released": 1, "active_at_end": 0},
        "": {"appointed": 1, "released": 0, "active_at_end": 1},
    }
    # The rows add up to the report's own totals.
    totals = current["assignments"]
    for column in ("appointed", "released", "active_at_end"):
        by_basis = current["legal_basis"]["by_basis"].values()
        assert sum(row[column] for row in by_basis) == totals[column]  # type: ignore[literal-required]
    assert current["legal_basis"]["request_outcomes"] == {
        "withdrawn_by_patient": 1,
        "declined_after_offer": 1,
        "care_ended": 1,
        "other": 1,
    }
    assert current["requests"]["withdrawn"] == 4


def test_a_tertial_cut_at_a_day_counts_up_to_it(built):
    figures = compute_figures(built, T3, today=date(2022, 10, 31))
    assert figures["current"]["legal_basis"]["by_basis"]["lpt"] == {
        "appointed": 2,  # L2, L3
        "released": 1,  # L1
        "active_at_end": 2,  # L2, L3 on 31 October
    }


def test_personal_assistance_has_no_figures_by_legal_basis(db):
    figures = compute_figures(factories.lss_programme(), T3, today=AFTER)
    assert "legal_basis" not in figures["current"]


def test_the_report_page_pdf_and_csv_show_them(built, admin_user, as_admin):
    report = services.report_create(
        programme=built, year=2022, tertial=3, by=admin_user, today=AFTER
    )
    page = as_admin.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Uppdrag per rättslig grund" in page
    assert 'data-table="assignments_by_legal_basis"' in page
    assert "Vården upphörde före förordnande" in page

    csv = figures_csv(report.figures).decode("utf-8-sig")
    assert "Uppdrag per rättslig grund" in csv
    assert "LPT;2;2;1" in csv
    assert "LRV;1;0;2" in csv
    assert "SmL;1;1;0" in csv
    assert "Inte registrerad;1;0;1" in csv
    assert "Totalt;5;3;4" in csv
    assert "Avböjd efter erbjudande;1" in csv

    text = pdf_text(report_pdf(report.figures, generated_texts(report.figures), final=False))
    assert "Uppdrag per rättslig grund" in text
    lpt_line = next(line for line in text.splitlines() if line.strip().startswith("LPT "))
    assert lpt_line.split()[1:] == ["2", "2", "1"]


def test_small_counts_are_hidden(built, settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    csv = figures_csv(compute_figures(built, T3, today=AFTER)).decode("utf-8-sig")
    assert "LPT;< 5;< 5;< 5" in csv
