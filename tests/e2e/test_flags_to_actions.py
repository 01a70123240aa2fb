"""Issue 15, "Done when": on a phone, a unit manager follows each flag on their dashboard to
the screen that resolves it and resolves it there, and the next run of the checks raises
none of them again. The kinds here: a deviation not investigated and open too long, a
serious lex Sarah case not reported to IVO, a client without a support person, and the
implementation plan and monthly documentation overdue (resolved on the duty checklist the
flag leads to, where the support person ticks: a tick records who did the duty)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assignments.models import Assignment
from clients.models import Deviation
from duties.models import DutyTemplate
from flags.models import Flag
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login

Kind = Flag.Kind
KINDS = [
    Kind.DEVIATION_UNINVESTIGATED,
    Kind.DEVIATION_OPEN,
    Kind.IVO_REPORT_LATE,
    Kind.NO_SUPPORT_PERSON,
    Kind.PLAN_OVERDUE,
    Kind.DOCUMENTATION_MISSING,
]


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]):
    contexts = []

    def new_page() -> Page:
        context = browser.new_context(
            **{**browser_context_args, "viewport": {"width": 390, "height": 844}},
            is_mobile=True,
            has_touch=True,
        )
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _follow(page: Page, live_server: Any, kind: str) -> None:
    """From the dashboard, the action of the first open flag of this kind."""
    page.goto(live_server.url + reverse("overview:dashboard"))
    flag = page.locator(f'[data-testid="flag-task"][data-kind="{kind}"]').first
    expect(flag).to_be_visible()
    flag.get_by_test_id("flag-action").click()


def _tick_plan_and_documentation(page: Page, live_server: Any, client: Any) -> None:
    page.goto(live_server.url + reverse("overview:my_clients"))
    page.get_by_role("link", name=f"Checklista – {client.display_name}").click()
    for code in ("implementation_plan", "documentation"):
        template = DutyTemplate.objects.get(programme=client.unit.programme, code=code)
        page.locator(f"#duty-{template.pk}").get_by_role("button", name="Klar idag").click()
        expect(page.locator(f"#duty-{template.pk}")).to_have_attribute("data-state", "done")


def test_a_manager_clears_each_flag_from_the_dashboard(
    phone: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    today = timezone.localdate()
    ordinary = factories.DeviationFactory(
        client=world.client_a,
        occurred_on=today - timedelta(days=40),
        reported_on=today - timedelta(days=40),
        description="Insatsen uteblev",
    )
    serious = factories.DeviationFactory(
        client=world.client_a,
        category=Deviation.Category.LEX_SARAH,
        occurred_on=today - timedelta(days=45),
        reported_on=today - timedelta(days=44),
        status=Deviation.Status.MEASURES_DECIDED,
        investigated_on=today - timedelta(days=40),
        findings="Läkemedel gavs vid fel tid.",
        is_serious=True,
        measures="Ny rutin för läkemedel.",
        measures_decided_on=today - timedelta(days=20),
    )
    call_command("run_checks")
    # Unit B has flags of its own (its client has no support person): not manager A's.
    of_unit_a = Flag.objects.open().filter(client__unit=world.unit_a)
    assert set(of_unit_a.values_list("kind", flat=True)) == set(KINDS)

    manager = phone()
    login(manager, live_server, "chef_a", DEFAULT_PASSWORD)
    screenshot(manager, "dashboard")
    _fits(manager)

    # Not investigated: the deviation's page, where it is taken under investigation, its
    # measures decided and it is closed (which answers "open too long" as well).
    _follow(manager, live_server, Kind.DEVIATION_UNINVESTIGATED)
    assert manager.url.endswith(reverse("clients:deviation", args=[ordinary.pk]))
    _fits(manager)
    manager.get_by_role("button", name="Påbörja utredningen").click()
    expect(manager.get_by_text("Avvikelsen utreds nu.")).to_be_visible()
    manager.get_by_label("Vidtagna åtgärder").fill("Nytt schema för besöken.")
    manager.get_by_role("button", name="Registrera resultat och åtgärder").click()
    expect(manager.get_by_text("Åtgärderna har registrerats.")).to_be_visible()
    screenshot(manager, "deviation-measures-decided")
    manager.get_by_role("button", name="Avsluta avvikelsen").click()
    expect(manager.get_by_text("Avvikelsen har avslutats.")).to_be_visible()

    # Not reported to IVO: the lex Sarah case's page.
    _follow(manager, live_server, Kind.IVO_REPORT_LATE)
    assert manager.url.endswith(reverse("clients:deviation", args=[serious.pk]))
    screenshot(manager, "deviation-ivo")
    _fits(manager)
    manager.get_by_role("button", name="Registrera anmälan till IVO").click()
    expect(manager.get_by_text("Anmälan till IVO har registrerats.")).to_be_visible()
    manager.get_by_role("button", name="Avsluta avvikelsen").click()
    expect(manager.get_by_text("Avvikelsen har avslutats.")).to_be_visible()
    # The steps resolved their flags at once: none of the deviations' is left.
    assert not Flag.objects.open().filter(
        kind__in=[Kind.DEVIATION_UNINVESTIGATED, Kind.DEVIATION_OPEN, Kind.IVO_REPORT_LATE]
    )

    # Without a support person: the assign screen.
    _follow(manager, live_server, Kind.NO_SUPPORT_PERSON)
    assert manager.url.endswith(reverse("assignments:assign", args=[world.client_a2.pk]))
    _fits(manager)
    manager.get_by_role("radio", name=world.sp_without_client.display_name).check()
    manager.get_by_role("button", name="Tilldela", exact=True).click()
    assert world.client_a2.assignments.filter(ended_on__isnull=True).exists()

    # The plan and the documentation: each flag leads to the client's duty checklist.
    checklists = {
        reverse("duties:checklist", args=[assignment.pk])
        for assignment in Assignment.objects.filter(ended_on__isnull=True)
    }
    for kind in (Kind.PLAN_OVERDUE, Kind.DOCUMENTATION_MISSING):
        _follow(manager, live_server, kind)
        assert manager.url.removeprefix(live_server.url) in checklists
        _fits(manager)
    screenshot(manager, "checklist")
    # ... where the support persons tick them, each on their own phone.
    first = phone()
    login(first, live_server, "stod_med", DEFAULT_PASSWORD)
    _tick_plan_and_documentation(first, live_server, world.client_a)
    second = phone()
    login(second, live_server, "stod_utan", DEFAULT_PASSWORD)
    _tick_plan_and_documentation(second, live_server, world.client_a2)

    call_command("run_checks")
    assert not of_unit_a.exists()
    manager.goto(live_server.url + reverse("overview:dashboard"))
    expect(manager.get_by_test_id("flag-task")).to_have_count(0)
    screenshot(manager, "dashboard-cleared")
