"""Each role's start page on a phone (390 x 844): its to-do list fits the screen, passes
axe-core, and a support person ticks a duty from it with the live region saying so."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from duties.models import DutyCheck, DutyTemplate
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login
from .test_accessibility import serious_violations


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}},
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def _buttons_are_thumb_sized(page: Any, selector: str) -> None:
    boxes = page.locator(selector).evaluate_all(
        "els => els.map(e => [e.offsetWidth, e.offsetHeight])"
    )
    assert boxes
    for width, height in boxes:
        assert width >= 44 and height >= 44


def test_a_support_person_ticks_a_duty_from_the_start_page(
    phone: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    page = phone
    factories.FlagFactory(client=world.client_a, kind="plan_overdue")
    login(page, live_server, "stod_med", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Att göra idag", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    _buttons_are_thumb_sized(page, ".due-row .btn")
    screenshot(page, "before")

    documentation = DutyTemplate.objects.get(programme=world.unit_a.programme, code="documentation")
    row = page.locator(f"#due-{world.assignment_a.pk}-{documentation.pk}")
    expect(row).to_have_attribute("data-state", "overdue")
    page.evaluate("window.loadMarker = 'still the same page'")
    row.get_by_role("button", name="Klar idag").click()
    expect(row).to_have_attribute("data-state", "done")
    expect(page.locator("#start-status")).to_have_text(
        f"{documentation.title} för Åke Öberg: markerad som klar."
    )
    expect(row.get_by_role("button", name="Ångra dagens bock")).to_be_visible()
    assert page.evaluate("window.loadMarker") == "still the same page"  # no reload
    check = DutyCheck.objects.get(assignment=world.assignment_a)
    assert (check.template, check.done_on) == (documentation, timezone.localdate())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    screenshot(page, "after")


def test_the_managers_start_page_fits_a_phone(
    phone: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    page = phone
    factories.FlagFactory(client=world.client_a2)
    factories.FlagFactory(client=world.client_a, kind="consent_review")
    login(page, live_server, "chef_a", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Att göra", exact=True)).to_be_visible()
    # The day at a glance is on the first screen.
    summary = page.get_by_test_id("todo-summary")
    expect(summary.get_by_role("link", name="2 öppna flaggor")).to_be_in_viewport()
    expect(summary.get_by_role("link", name="1 klient utan stödperson")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    _buttons_are_thumb_sized(page, ".task-list__status .btn")
    # The figures' disclosures open and still fit.
    for summary in page.locator("details > summary").all():
        summary.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page)


def test_the_administrators_start_page_fits_a_phone(
    phone: Any, live_server: Any, world: Any, admin_user: Any, screenshot: Any
) -> None:
    page = phone
    committee = factories.UnitFactory(programme=factories.patient_committee_programme())
    request = factories.RequestFactory(client=factories.ClientFactory(unit=committee))
    factories.RegistrationFactory(event=factories.TrainingEventFactory())
    factories.FlagFactory(client=world.client_b, kind="plan_overdue")
    login(page, live_server, "admin", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Att göra", exact=True)).to_be_visible()
    summary = page.get_by_test_id("todo-summary")
    expect(summary.get_by_role("link", name="1 begäran att besvara")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    _buttons_are_thumb_sized(page, ".task-list__status .btn")
    requests = page.get_by_role("region", name="Begäranden att besvara")
    expect(requests.get_by_role("link", name="Förordna")).to_have_attribute(
        "href", reverse("assignments:request_appoint", args=[request.pk])
    )
    screenshot(page)
