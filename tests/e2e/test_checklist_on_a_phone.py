"""A support person on a phone ticks two duties and sees their status change without a
reload; the checklist and the client page fit a 390 px screen and pass axe-core."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from duties.models import DutyCheck, DutyTemplate
from tests.factories import DEFAULT_PASSWORD, DutyCheckFactory

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


def test_a_support_person_ticks_two_duties_on_a_phone(
    phone: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    page = phone
    login(page, live_server, "stod_med", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Mina klienter")).to_be_visible()
    page.get_by_role("link", name="Checklista – Åke Öberg").click()

    plan = DutyTemplate.objects.get(programme=world.unit_a.programme, code="implementation_plan")
    documentation = DutyTemplate.objects.get(programme=world.unit_a.programme, code="documentation")
    page.evaluate("window.loadMarker = 'still the same page'")
    for template in (plan, documentation):
        row = page.locator(f"#duty-{template.pk}")
        expect(row).to_have_attribute("data-state", "overdue")
        row.get_by_role("button", name="Klar idag").click()
        expect(page.locator(f"#duty-{template.pk}")).to_have_attribute("data-state", "done")
        # The live region tells a screen reader what happened.
        expect(page.locator("#checklist-status")).to_have_text(
            f"{template.title}: markerad som klar."
        )
        expect(
            page.locator(f"#duty-{template.pk}").get_by_role("button", name="Ångra dagens bock")
        ).to_be_visible()

    assert page.evaluate("window.loadMarker") == "still the same page"  # no reload
    assert page.url.endswith(reverse("duties:checklist", args=[world.assignment_a.pk]))
    assert DutyCheck.objects.filter(assignment=world.assignment_a).count() == 2
    # Nothing overflows sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_checklist_and_the_client_page_fit_the_screen_and_pass_axe(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    world: Any,
    screenshot: Any,
    width: int,
) -> None:
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": 844}},
        is_mobile=width < 576,
        has_touch=width < 576,
    )
    page = context.new_page()
    # One duty done, so the collapsed group of done duties is on the page too.
    plan = DutyTemplate.objects.get(programme=world.unit_a.programme, code="implementation_plan")
    DutyCheckFactory(
        assignment=world.assignment_a,
        template=plan,
        done_on=timezone.localdate(),
        by=world.assignment_a.support_person.user,
    )
    login(page, live_server, "stod_med", DEFAULT_PASSWORD)
    pages = {
        "checklist": reverse("duties:checklist", args=[world.assignment_a.pk]),
        "client": reverse("overview:client", args=[world.client_a.pk]),
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert serious_violations(page) == [], name
        screenshot(page, f"{name}-{width}")
    # The buttons a thumb taps are at least 44 x 44 px.
    page.goto(live_server.url + pages["checklist"])
    for box in page.locator(".duty-tick-today").evaluate_all(
        "els => els.map(e => [e.offsetWidth, e.offsetHeight])"
    ):
        assert box[0] >= 44 and box[1] >= 44
    # Another date or a note: behind a disclosure, and it still fits.
    page.locator(".duty-other summary").first.click()
    page.locator("details.duty-group summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"checklist-{width}-opened")
    context.close()
