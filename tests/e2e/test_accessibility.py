"""WCAG 2.1 AA (Swedish public services must meet it): axe-core finds no serious or
critical violation on the main pages."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page

from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page, options={**WCAG_AA, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_login_page_is_accessible(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + reverse("login"))
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    "name",
    ["overview:dashboard", "overview:clients", "client", "checklist"],
)
def test_the_managers_pages_are_accessible(
    page: Page, live_server: Any, world: Any, name: str, screenshot: Any
) -> None:
    factories.FlagFactory(client=world.client_a2)
    factories.ConsentFactory(client=world.client_a)
    factories.DeviationFactory(client=world.client_a)
    login(page, live_server, "chef_a", DEFAULT_PASSWORD)
    paths = {
        "client": reverse("overview:client", args=[world.client_a.pk]),
        "checklist": reverse("duties:checklist", args=[world.assignment_a.pk]),
    }
    page.goto(live_server.url + paths.get(name, reverse(name) if ":" in name else ""))
    assert serious_violations(page) == []


def test_the_support_persons_checklist_is_accessible(
    page: Page, live_server: Any, world: Any
) -> None:
    login(page, live_server, "stod_med", DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("duties:checklist", args=[world.assignment_a.pk]))
    assert serious_violations(page) == []
