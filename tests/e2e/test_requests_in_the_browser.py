"""An administrator registers a request on the Thursday before Midsummer, pauses and resumes
the clock, and appoints the suggested candidate (domain.md rule 5: 3 working days)."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assignments.models import Assignment, SupportRequest
from clients.models import Gender
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login
from .test_accessibility import serious_violations


def test_an_administrator_registers_pauses_and_appoints(
    page: Page, live_server: Any, admin_user: Any, screenshot: Any
) -> None:
    programme = factories.patient_committee_programme()
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    unit = factories.UnitFactory(programme=programme, locality=skelleftea, name="Psykiatri")
    patient = factories.ClientFactory(unit=unit, first_name="Pia", last_name="Patient")
    factories.SupportPersonFactory(
        programme=programme, locality=skelleftea, first_name="Karin", last_name="Kvist"
    )
    man = factories.SupportPersonFactory(
        programme=programme,
        locality=skelleftea,
        gender=Gender.MAN,
        first_name="Mats",
        last_name="Man",
    )
    login(page, live_server, "admin", DEFAULT_PASSWORD)

    # The menu's link (the start page also links to its own list of requests to answer).
    page.get_by_role("link", name="Begäranden", exact=True).click()
    page.get_by_role("link", name="Registrera en begäran").click()
    page.get_by_label("klient").select_option(str(patient.pk))
    page.locator("#id_received_at").fill("2026-06-18T10:00")
    page.get_by_label("inkom från").select_option("patient")
    page.get_by_label("önskat kön").select_option("man")
    page.get_by_role("button", name="Registrera").click()

    # Received the day before Midsummer Eve: day 1 is Monday 22 June, day 3 Wednesday 24.
    expect(page.get_by_test_id("deadline")).to_have_text("onsdag 24 jun 2026")
    page.get_by_role("link", name="Begäranden").first.click()
    row = page.get_by_test_id("request-row")
    expect(row.get_by_test_id("deadline")).to_have_text("onsdag 2026-06-24")
    assert serious_violations(page) == []
    row.get_by_role("link", name="Pia Patient", exact=True).click()

    # Pause: the form starts empty; the patient cannot take a position is a choice made
    # here. Then the clock runs again.
    page.get_by_role("button", name="Pausa").click()
    expect(page.get_by_text("Välj varför tiden pausas.").first).to_be_visible()
    page.locator("#id_started_on").fill(timezone.localdate().isoformat())
    page.get_by_label("Patienten kan inte ta ställning (förseningen är ursäktad)").check()
    page.get_by_role("button", name="Pausa").click()
    expect(page.get_by_text("Tiden är pausad.")).to_be_visible()
    expect(page.locator("[data-state=paused]")).to_be_visible()
    page.get_by_role("button", name="Starta igen").click()
    expect(page.get_by_text("Tiden räknas igen.")).to_be_visible()
    expect(page.locator("[data-state=paused]")).to_have_count(0)

    # Appoint the suggested candidate: the man, as the patient wished.
    assert serious_violations(page) == []
    page.get_by_role("link", name="Förordna en stödperson").click()
    assert serious_violations(page) == []
    first = page.get_by_test_id("candidate").first
    expect(first).to_have_attribute("value", str(man.pk))
    first.check()
    # Today is long after the deadline: the reason is asked for.
    page.get_by_label("anledning till försening").fill("Patienten kunde inte ta ställning")
    page.get_by_role("button", name="Förordna").click()
    expect(page.get_by_test_id("answer")).to_contain_text("Mats Man")
    screenshot(page)

    request = SupportRequest.objects.get()
    assert request.received_at.isoformat().startswith("2026-06-18T08:00")  # 10:00 in Sweden
    assignment = Assignment.objects.get(request=request)
    assert assignment.support_person == man
    assert assignment.decided_by == admin_user
    assert request.late_reason == "Patienten kunde inte ta ställning"
    assert page.url == live_server.url + reverse("assignments:request", args=[request.pk])
