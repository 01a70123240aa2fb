"""The decisions under delegation on a phone and on a desktop: the period's list and one
decision's page fit the screen (cards below 576 px) and pass axe; the office records when
the parties were told, and a date in the future is refused in Swedish."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assignments import services
from assignments.models import Assignment, Decision
from clients.models import ProtectedIdentity
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login
from .test_accessibility import serious_violations


@pytest.fixture
def decisions(admin_user: Any) -> dict[str, Any]:
    pc = factories.patient_committee_programme()
    unit = factories.UnitFactory(programme=pc, name="Psykiatriska kliniken Skellefteå")
    today = timezone.localdate()
    patients = [
        factories.ClientFactory(unit=unit, first_name=first, last_name=last, legal_basis="lpt")
        for first, last in (
            ("Karl-Johan", "Wästerlund-Öhrström"),
            ("Pia", "Patient"),
            ("Greta", "Hemlig"),
        )
    ]
    patients[2].protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    patients[2].save()
    for n, patient in enumerate(patients):
        assignment = services.assignment_create(
            client=patient,
            support_person=factories.SupportPersonFactory(programme=pc),
            started_on=today - dt.timedelta(days=10 - n),
            by=admin_user,
        )
    services.assignment_end(
        assignment=assignment,
        ended_on=today,
        reason=Assignment.EndReason.CARE_ENDED,
        by=admin_user,
    )
    return {"first": Decision.objects.order_by("id").first()}


def _fits(page: Page, width: int) -> None:
    if width <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_decisions_fit_the_screen_and_the_office_records_the_notifications(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    decisions: dict[str, Any],
    screenshot: Any,
    width: int,
) -> None:
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": 844}},
        is_mobile=width < 576,
        has_touch=width < 576,
    )
    page = context.new_page()
    login(page, live_server, "admin", DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("reports:decisions"))
    expect(page.get_by_test_id("decision-row")).to_have_count(4)
    expect(page.get_by_test_id("summary")).to_contain_text(
        "3 uppdrag påbörjats, 1 avslutats, 0 stödpersoner rekryterade och 0 stödpersoner avslutade."
    )
    expect(page.locator("main")).not_to_contain_text("Hemlig")
    _fits(page, width)
    screenshot(page, f"list-{width}")

    page.get_by_test_id("decision-row").first.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("förordnande av stödperson")
    page.get_by_label("Patienten underrättad").fill("2999-01-01")
    page.get_by_role("button", name="Spara underrättelserna").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "Datumet kan inte vara i framtiden."
    )
    _fits(page, width)
    today = timezone.localdate().isoformat()
    page.get_by_label("Patienten underrättad").fill(today)
    page.get_by_label("Stödpersonen underrättad").fill(today)
    page.get_by_role("button", name="Spara underrättelserna").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_contain_text(
        "underrättelserna och skälen är sparade"
    )
    _fits(page, width)
    screenshot(page, f"decision-{width}")
    decision = decisions["first"]
    decision.refresh_from_db()
    assert decision.patient_notified_on == timezone.localdate()
    context.close()
