"""Acceptance times in the tertial report (issue 16, "Done when"): a built data set of
offers with known answers, on the figures, the report page, the CSV and the PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from assignments.models import Offer
from reports.exports import figures_csv, report_pdf
from reports.figures import compute_figures
from reports.narrative import generated_texts
from reports.offer_figures import offer_figures
from reports.presentation import present
from stodperson.tertials import Tertial
from tests import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")
T1_2025 = Tertial(2025, 1)
AFTER = dt.date(2025, 6, 1)


def at(y: int, m: int, d: int, h: int = 8) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=STOCKHOLM)


@pytest.fixture
def programme(db):
    """Offers in T1 2025 (1 Jan - 30 Apr): six acceptances after 2, 5, 10, 20, 30 and 50
    hours (median 15, four of six within a day), two declined, two expired unanswered, one
    accepted only in May, and another programme's offer that must not count."""
    programme = factories.patient_committee_programme()
    ward = factories.UnitFactory(programme=programme)
    people = [factories.SupportPersonFactory(programme=programme) for _ in range(3)]

    def offer(offered: dt.datetime, status: str, hours: float | None = None, person: int = 0):
        request = factories.RequestFactory(
            client=factories.ClientFactory(unit=ward), received_at=offered
        )
        answered = offered + dt.timedelta(hours=hours) if hours is not None else None
        return Offer.objects.create(
            request=request,
            support_person=people[person],
            offered_at=offered,
            expires_at=offered + dt.timedelta(hours=24),
            status=status,
            answered_at=answered,
            decline_reason="Ingen tid" if status == Offer.Status.DECLINED else "",
        )

    accepted = Offer.Status.ACCEPTED
    offer(at(2025, 2, 3), accepted, 2)
    offer(at(2025, 2, 10), accepted, 5)
    offer(at(2025, 3, 3), accepted, 10)
    offer(at(2025, 3, 10), accepted, 20)
    offer(at(2024, 12, 31, 20), accepted, 30)  # offered in T3 2024, accepted 2 Jan 2025
    offer(at(2025, 4, 1), accepted, 50)
    offer(at(2025, 4, 30, 20), accepted, 12)  # accepted 1 May: the next tertial
    offer(at(2025, 2, 3), Offer.Status.DECLINED, 1, person=1)
    offer(at(2025, 3, 3), Offer.Status.DECLINED, 3, person=1)
    offer(at(2025, 4, 1), Offer.Status.OPEN, person=2)  # never marked, expired 2 Apr
    offer(at(2025, 3, 10), Offer.Status.EXPIRED, person=2)
    other = factories.UnitFactory()  # personal assistance
    Offer.objects.create(
        request=factories.RequestFactory(client=factories.ClientFactory(unit=other)),
        support_person=factories.SupportPersonFactory(),
        offered_at=at(2025, 2, 3),
        expires_at=at(2025, 2, 4),
        status=accepted,
        answered_at=at(2025, 2, 3, 9),
    )
    return programme


def test_the_figures_give_the_known_acceptance_times(programme):
    figures = compute_figures(programme, T1_2025, today=AFTER)
    assert figures["current"]["offers"] == {
        "offered": 10,
        "accepted": 6,
        "declined": 2,
        "expired": 2,
        "median_hours_to_accept": 15.0,
        "accepted_within_day_share": 66.7,
    }


def test_an_open_offer_has_not_expired_before_its_time():
    from reports.offer_figures import OfferRow

    offered = at(2025, 4, 30, 20)
    rows = [OfferRow(offered, None, offered + dt.timedelta(hours=24), Offer.Status.OPEN)]
    assert offer_figures(rows, first=dt.date(2025, 1, 1), last=dt.date(2025, 4, 30))["expired"] == 0
    assert offer_figures(rows, first=dt.date(2025, 5, 1), last=dt.date(2025, 5, 1))["expired"] == 1


def test_a_period_without_acceptances_has_no_median(programme):
    figures = compute_figures(programme, Tertial(2024, 2), today=AFTER)
    assert figures["current"]["offers"]["median_hours_to_accept"] is None
    table = present(figures).offers
    assert table is not None
    assert ["Median antal timmar från förfrågan till accept", None] in table.rows


def test_the_report_shows_the_median_in_the_table_the_csv_and_the_pdf(programme):
    figures = compute_figures(programme, T1_2025, today=AFTER)
    table = present(figures).offers
    assert table is not None
    assert ["Median antal timmar från förfrågan till accept", 15.0] in table.rows
    assert ["Accepterade", 6] in table.rows
    assert ["Avböjda", 2] in table.rows
    csv = figures_csv(figures).decode("utf-8-sig")
    assert "Median antal timmar från förfrågan till accept;15" in csv
    pdf = report_pdf(figures, generated_texts(figures), final=False)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
    assert "Förfrågningar till stödpersoner" in text
    assert "Median antal timmar från förfrågan till accept 15" in text


def test_few_acceptances_hide_the_median(programme, settings):
    settings.REPORT_MIN_GROUP_SIZE = 7
    figures = compute_figures(programme, T1_2025, today=AFTER)
    table = present(figures).offers
    assert table is not None
    median = {row[0]: row[1] for row in table.rows}[
        "Median antal timmar från förfrågan till accept"
    ]
    assert str(median) == "< 7"


def test_the_report_page_shows_the_offers(programme, as_admin, admin_user):
    from reports import services

    report = services.report_create(programme=programme, year=2025, tertial=1, by=admin_user)
    page = as_admin.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Förfrågningar till stödpersoner" in page
    assert "Median antal timmar från förfrågan till accept" in page
