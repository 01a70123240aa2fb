"""A volunteer on a phone reports a visit with kilometres and a receipt and submits the
month; the office opens the review queue and approves it. The volunteer's month and the
queue fit 390 px, pass axe-core, and are shot at 390 and 1280 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from assignments.models import MonthlyReport, SupportContact
from tests import factories

from .conftest import share_session
from .test_accessibility import serious_violations

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def volunteer_world(db, admin_user):
    programme = factories.patient_committee_programme()
    unit = factories.UnitFactory(name="Psykiatriska kliniken", programme=programme)
    client = factories.ClientFactory(unit=unit, first_name="Pia", last_name="Lindqvist")
    user = factories.UserFactory(username="vera", first_name="Vera", last_name="Volontär")
    person = factories.SupportPersonFactory(
        user=user, programme=programme, first_name="Vera", last_name="Volontär"
    )
    started = timezone.localdate() - dt.timedelta(days=40)
    assignment = factories.AssignmentFactory(
        client=client, support_person=person, started_on=started
    )
    return {"user": user, "assignment": assignment, "admin": admin_user}


def _context(browser: Browser, args: dict[str, Any], width: int):
    if width == 390:
        return browser.new_context(
            **{**args, "viewport": {"width": 390, "height": 844}}, is_mobile=True, has_touch=True
        )
    return browser.new_context(**{**args, "viewport": {"width": 1280, "height": 900}})


def _logged_in(browser, args, width, user, live_server):
    context = _context(browser, args, width)
    http = HttpClient()
    http.force_login(user)
    share_session(context, http, live_server)
    return context, context.new_page()


def test_a_volunteer_reports_on_a_phone_and_the_office_approves(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    volunteer_world: dict[str, Any],
    screenshot: Any,
    tmp_path: Any,
) -> None:
    assignment = volunteer_world["assignment"]
    today = timezone.localdate()
    context, page = _logged_in(
        browser, browser_context_args, 390, volunteer_world["user"], live_server
    )
    page.goto(live_server.url + reverse("assignments:contacts"))
    expect(page.get_by_role("heading", name="Kontakter", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    screenshot(page, "contacts-390")
    page.get_by_role("link", name="Lägg till en kontakt – Pia Lindqvist").click()
    expect(page.get_by_test_id("health-reminder")).to_be_visible()
    page.fill("#id_on", today.isoformat())
    page.select_option("#id_kind", "visit")
    page.fill("#id_duration_minutes", "60")
    page.fill("#id_place", "Avdelning 3")
    page.fill("#id_kilometres", "23.5")
    page.fill("#id_expenses", "48")
    receipt = tmp_path / "kvitto.pdf"
    receipt.write_bytes(PDF)
    page.set_input_files("#id_upload", str(receipt))
    page.get_by_role("button", name="Spara kontakten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(today.year))
    expect(page.get_by_test_id("contacts")).to_contain_text("Avdelning 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    screenshot(page, "month-390")
    contact = SupportContact.objects.get()
    assert contact.kilometres == 23.5 and contact.receipt_type == "pdf"

    page.get_by_role("link", name="Lämna in månadens rapport").click()
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_text("är inlämnad till kansliet")).to_be_visible()
    assert MonthlyReport.objects.get().state == MonthlyReport.State.SUBMITTED
    context.close()

    month_url = reverse(
        "assignments:contact_month",
        kwargs={"pk": assignment.pk, "year": today.year, "month": today.month},
    )
    for width in (390, 1280):
        context, page = _logged_in(
            browser, browser_context_args, width, volunteer_world["admin"], live_server
        )
        page.goto(live_server.url + reverse("assignments:report_queue"))
        expect(page.get_by_test_id("queue")).to_contain_text("23,5")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert serious_violations(page) == []
        screenshot(page, f"queue-{width}")
        context.close()
        context, page = _logged_in(
            browser, browser_context_args, width, volunteer_world["user"], live_server
        )
        page.goto(live_server.url + month_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"month-submitted-{width}")
        context.close()

    context, page = _logged_in(
        browser, browser_context_args, 1280, volunteer_world["admin"], live_server
    )
    page.goto(live_server.url + reverse("assignments:report_queue"))
    page.get_by_role("link", name="Vera Volontär –").click()
    expect(page.get_by_role("link", name="Kvitto")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "review-1280")
    page.get_by_role("button", name="Godkänn rapporten").click()
    expect(page.get_by_text("Inga månadsrapporter väntar på granskning.")).to_be_visible()
    assert MonthlyReport.objects.get().state == MonthlyReport.State.APPROVED
    context.close()
