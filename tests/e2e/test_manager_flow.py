"""A unit manager assigns a support person, then changes support person through the
handover checklist (routine A, "Byte av stödperson")."""

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from assignments.models import Assignment
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login


def test_a_manager_assigns_and_then_changes_a_support_person(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    factories.ContactFactory(client=world.client_a2, role="narstaende", name="Eva Ek")
    third = factories.SupportPersonFactory(
        unit=world.unit_a, first_name="Tredje", last_name="Person"
    )
    login(page, live_server, "chef_a", DEFAULT_PASSWORD)

    # The client without a support person is on the start page's to-do, with a button to
    # assign.
    expect(page.get_by_role("heading", name="Att göra", exact=True)).to_be_visible()
    page.get_by_role("link", name="Tilldela – Lena Ek").click()
    expect(page.get_by_role("heading", name="Tilldela stödperson")).to_be_visible()
    page.locator(f"input[name=support_person][value='{world.sp_without_client.pk}']").check()
    page.get_by_role("button", name="Tilldela").click()
    current = page.get_by_test_id("current-support-person")
    expect(current).to_contain_text(world.sp_without_client.full_name)

    # Change: the reason, who was told, the successor; the old assignment ends.
    page.get_by_role("link", name="Byt stödperson").click()
    page.locator(f"input[name=successor][value='{third.pk}']").check()
    page.get_by_label("Anledning").select_option("client_wish")
    today = page.locator("#id_changed_on").input_value()
    page.locator("#id_client_informed_on").fill(today)
    page.get_by_role("button", name="Byt stödperson").click()
    # The client has a relative: the form asks when they were told.
    expect(page.locator("#id_relatives_informed_on")).to_have_attribute("aria-invalid", "true")
    page.locator(f"input[name=successor][value='{third.pk}']").check()
    page.locator("#id_relatives_informed_on").fill(today)
    page.get_by_role("button", name="Byt stödperson").click()

    expect(page).to_have_url(
        live_server.url + reverse("overview:client", args=[world.client_a2.pk])
    )
    expect(page.get_by_test_id("current-support-person")).to_contain_text("Tredje Person")
    expect(page.get_by_text(world.sp_without_client.full_name)).to_be_visible()  # history
    screenshot(page)
    assignments = Assignment.objects.filter(client=world.client_a2).order_by("started_on", "id")
    assert [a.support_person_id for a in assignments] == [world.sp_without_client.pk, third.pk]
    assert assignments[0].end_reason == Assignment.EndReason.CHANGE
