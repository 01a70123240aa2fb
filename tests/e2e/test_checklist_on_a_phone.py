"""A support person on a phone ticks two duties and sees their status change without a
reload."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from duties.models import DutyCheck, DutyTemplate
from tests.factories import DEFAULT_PASSWORD

from .conftest import login


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
        row.get_by_role("button", name="Bocka av").click()
        expect(page.locator(f"#duty-{template.pk}")).to_have_attribute("data-state", "done")
        expect(
            page.locator(f"#duty-{template.pk}").get_by_role("button", name="Ångra dagens bock")
        ).to_be_visible()

    assert page.evaluate("window.loadMarker") == "still the same page"  # no reload
    assert page.url.endswith(reverse("duties:checklist", args=[world.assignment_a.pk]))
    assert DutyCheck.objects.filter(assignment=world.assignment_a).count() == 2
    # Nothing overflows sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page)
