"""A flag raised by the background check shows on the unit manager's dashboard."""

from typing import Any

from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.factories import DEFAULT_PASSWORD

from .conftest import login


def test_a_new_flag_appears_on_the_managers_dashboard_after_the_check_runs(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    login(page, live_server, "chef_a", DEFAULT_PASSWORD)
    # The to-do list of flags, and their counts by kind among the figures.
    flags = page.get_by_role("region", name="Öppna flaggor", exact=True)
    kinds = page.get_by_role("region", name="Öppna flaggor per slag")
    expect(flags.get_by_text("Klient utan stödperson")).to_have_count(0)
    expect(kinds.get_by_text("Klient utan stödperson")).to_have_count(0)

    # Lena Ek (unit A) has had no support person since long past the grace period.
    call_command("run_checks", "--only", "no_support_person")
    page.reload()

    flag = flags.get_by_test_id("flag-task")
    expect(flag.get_by_text("Klient utan stödperson", exact=True)).to_be_visible()
    action = flag.get_by_role("link", name="Tilldela stödperson – Klient utan stödperson, Lena Ek")
    expect(action).to_be_visible()
    expect(kinds.get_by_role("link", name="Klient utan stödperson")).to_be_visible()
    expect(page.get_by_test_id("flag-badge")).to_contain_text("1")
    screenshot(page)
