"""The end of compulsory care on a phone and a desktop: the office records that care ended
and that both want the assignment to continue; the page then says when it is released.
Nothing scrolls sideways at 390 px and axe-core finds no serious violation; the request's
outcomes are chosen from the same kind of page."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assignments.models import Assignment, CareEnd
from clients.models import Programme
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login
from .test_accessibility import serious_violations


def _fits(page: Page, width: int) -> None:
    if width <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_office_records_the_end_of_care_and_the_extension(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    admin_user: Any,
    screenshot: Any,
    width: int,
) -> None:
    # A programme of its own: the data migration's rows are not there again after the first
    # browser test's flush (factories.ensure_migrated_data replays an older model state).
    programme = factories.ProgrammeFactory(kind=Programme.Kind.PATIENT_COMMITTEE)
    unit = factories.UnitFactory(programme=programme, name="Psykiatriska kliniken Umeå")
    patient = factories.ClientFactory(
        unit=unit, first_name="Karl-Johan", last_name="Wästerlund-Öhrström", legal_basis="lpt"
    )
    today = timezone.localdate()
    assignment = factories.AssignmentFactory(
        client=patient, started_on=today - dt.timedelta(days=40)
    )
    waiting = factories.RequestFactory(
        client=factories.ClientFactory(unit=unit, first_name="Pia", last_name="Patient"),
        received_at=timezone.now() - dt.timedelta(days=1),
    )

    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": 844}},
        is_mobile=width < 576,
        has_touch=width < 576,
    )
    page = context.new_page()
    login(page, live_server, "admin", DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("overview:client", args=[patient.pk]))
    page.get_by_role("link", name="Tvångsvården har upphört…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvångsvården har upphört")
    _fits(page, width)

    # A day in the future is refused, in Swedish, at the field and in the summary.
    page.get_by_label("Dagen då tvångsvården upphörde").fill(
        (today + dt.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Avdelningen").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("framtiden")
    _fits(page, width)
    screenshot(page, f"error-{width}")

    ended = today - dt.timedelta(days=3)
    page.get_by_label("Dagen då tvångsvården upphörde").fill(ended.isoformat())
    page.get_by_label("Patienten vill att uppdraget fortsätter").check()
    page.get_by_label("Stödpersonen vill att uppdraget fortsätter").check()
    page.get_by_role("button", name="Spara").click()
    release_on = ended + dt.timedelta(days=28)
    expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_contain_text(
        release_on.isoformat()
    )
    assert CareEnd.objects.get().is_extended
    assert Assignment.objects.get(pk=assignment.pk).ended_on is None

    page.goto(live_server.url + reverse("assignments:care_end", args=[patient.pk]))
    expect(page.locator(".summary-list")).to_contain_text(f"Entledigas {release_on.isoformat()}")
    _fits(page, width)
    screenshot(page, f"extension-{width}")

    page.goto(live_server.url + reverse("assignments:request_withdraw", args=[waiting.pk]))
    page.get_by_label("Vården upphörde före förordnande").check()
    page.get_by_label("Skäl till återkallelse").fill("Patienten skrevs ut innan någon utsågs.")
    _fits(page, width)
    screenshot(page, f"outcome-{width}")
    page.get_by_role("button", name="Ja, återkalla begäran").click()
    waiting.refresh_from_db()
    assert waiting.withdrawal_kind == "care_ended"
    context.close()
