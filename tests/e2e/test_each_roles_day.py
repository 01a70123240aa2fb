"""Each role through its day, on a phone (390 × 844) and on a desktop (1280 × 900): every page
says where you are (its h1, and the menu item marked aria-current in the header), and a
full-page screenshot of each is saved under test-artifacts/e2e/ to look at.

- An administrator: start page, requests, a request, its appointment, reports, a report, a
  training event.
- A unit manager: start page, the flags, a flagged client, the checklist, support persons,
  a person.
- A support person: start page, their client, the checklist, where they tick a duty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from stodperson.tertials import Tertial
from tests.everypage import furnish
from tests.test_access_matrix import http_as  # noqa: F401 (a fixture)

from .conftest import share_session

SCREENS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}


class Day:
    """One browser, logged in as one persona, walking from page to page."""

    def __init__(self, page: Page, base_url: str, screenshot: Callable[..., Any]) -> None:
        self.page, self.base_url, self.screenshot = page, base_url, screenshot
        self.step = 0
        self.width = page.viewport_size["width"] if page.viewport_size else 0

    def start(self) -> None:
        self.page.goto(self.base_url + "/")

    def menu(self, label: str) -> None:
        """Follow a menu item, opening the folded menu (phone) and "Mer" where needed."""
        nav = self.page.get_by_role("navigation", name="Huvudmeny")
        toggle = nav.get_by_role("button", name=re.compile("^Meny"))
        if toggle.is_visible():
            toggle.click()
        link = nav.get_by_role("link", name=re.compile(f"^{label}"))
        if not link.is_visible():
            nav.get_by_role("button", name="Mer").click()
        with self.page.expect_navigation():
            link.click()

    def follow(self, name: str | re.Pattern[str]) -> None:
        """Follow a link in the page's content."""
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("link", name=name).first.click()

    def here(self, heading: str | re.Pattern[str] | None, menu_item: str, shot: str) -> None:
        """The page's h1 and the menu's current item; a screenshot to look at."""
        h1 = self.page.locator("main h1")
        expect(h1).to_have_count(1)
        if heading is None:
            # A start page: its title starts with what its h1 says (the title says where
            # you are, most specific first).
            assert self.page.title().startswith(h1.inner_text().strip())
        else:
            expect(h1).to_have_text(heading)
        current = self.page.locator(".service-nav [aria-current='page']")
        expect(current).to_have_count(1)
        expect(current).to_have_text(re.compile(f"^{menu_item}"))
        if self.width < 576:
            # The folded menu names where you are ("Meny, du är på Klienter").
            expect(self.page.locator(".service-nav__here")).to_have_text(
                re.compile(f"du är på {menu_item}$")
            )
        assert self.page.evaluate("document.documentElement.scrollWidth") <= self.width, shot
        self.step += 1
        self.screenshot(self.page, f"{self.step:02d}-{shot}")


@pytest.fixture(params=SCREENS, ids=list(SCREENS))
def day_as(
    request: pytest.FixtureRequest,
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    world: Any,
    http_as: Any,  # noqa: F811
    admin_user: Any,
    screenshot: Any,
) -> Any:
    furnish(world, admin=admin_user)
    viewport = SCREENS[request.param]
    phone = viewport["width"] < 576
    context = browser.new_context(
        **{**browser_context_args, "viewport": viewport}, is_mobile=phone, has_touch=phone
    )

    def start(persona: str) -> Day:
        share_session(context, http_as(persona), live_server)
        day = Day(context.new_page(), live_server.url, screenshot)
        day.start()
        return day

    yield start
    context.close()


def test_an_administrators_day(day_as: Any, world: Any) -> None:
    day = day_as("admin")
    day.here(None, "Översikt", "start")
    day.menu("Begäranden")
    day.here("Begäranden", "Begäranden", "requests")
    day.follow(world.client_a2.display_name)
    day.here(f"Begäran {world.request.pk}: {world.client_a2.display_name}", "Begäranden", "request")
    day.follow("Förordna en stödperson")
    day.here("Förordna en stödperson", "Begäranden", "appoint")
    day.menu("Tertialrapporter")
    day.here("Tertialrapporter", "Tertialrapporter", "reports")
    period = Tertial.of(timezone.localdate()).previous().label
    day.follow(period)
    day.here(f"Tertialrapport {period}", "Tertialrapporter", "report")
    day.menu("Utbildning")
    day.here("Utbildningstillfällen", "Utbildning", "training-events")
    day.follow(re.compile("^Kvällsmöte"))
    day.here(re.compile("^Kvällsmöte"), "Utbildning", "training-event")


def test_a_unit_managers_day(day_as: Any, world: Any) -> None:
    day = day_as("manager_a")
    day.here(None, "Översikt", "start")
    day.menu("Flaggor")
    day.here("Flaggor", "Flaggor", "flags")
    day.follow(world.client_a.display_name)
    day.here(world.client_a.display_name, "Klienter", "client")
    day.follow("Checklista")
    day.here("Checklista", "Klienter", "checklist")
    day.menu("Stödpersoner")
    day.here("Stödpersoner", "Stödpersoner", "support-persons")
    person = world.sp_with_client.display_name
    day.follow(person)
    day.here(re.compile(f"^{person}"), "Stödpersoner", "support-person")


def test_a_support_persons_day(day_as: Any, world: Any) -> None:
    day = day_as("sp_with")
    day.here(None, "Mina klienter", "start")
    day.follow(world.client_a.display_name)
    day.here(world.client_a.display_name, "Mina klienter", "client")
    day.follow("Checklista")
    day.here("Checklista", "Mina klienter", "checklist")
    row = day.page.locator("[data-state='overdue']").first
    title = row.locator("p").first.inner_text()
    row.get_by_role("button", name="Klar idag").click()
    expect(day.page.locator("#checklist-status")).to_contain_text("markerad som klar")
    expect(day.page.locator("#checklist-status")).to_contain_text(title.strip())
    day.here("Checklista", "Mina klienter", "checklist-ticked")
