"""The volunteer's account in the browser (issue 16, items 1 and 2): the office invites a
volunteer, who opens the link on a phone (390 x 844), chooses a password, logs in, is led
to the confidentiality undertaking, accepts it and lands on "Mina uppdrag" with the
warning that the background check runs out, and registers for a training evening. The
home page fits the phone and a wide screen and passes axe-core."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from stodperson.dates import add_months
from supportpersons.models import Registration, UndertakingAcceptance
from tests import factories, volunteers

from .conftest import login, share_session
from .test_accessibility import serious_violations

PASSWORD = "Ett-långt-lösenord-2026"


def _context(browser: Browser, args: dict[str, Any], width: int, height: int) -> Any:
    return browser.new_context(
        **{**args, "viewport": {"width": width, "height": height}},
        is_mobile=width < 500,
        has_touch=width < 500,
    )


def test_a_volunteer_is_invited_accepts_the_undertaking_and_sees_their_home(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    admin_user: Any,
    screenshot: Any,
) -> None:
    today = timezone.localdate()
    person = volunteers.volunteer(
        accepted=False,
        first_name="Vera",
        last_name="Volontär",
        email="vera@example.se",
        phone="070-123 45 67",
        locality=factories.LocalityFactory(name="Umeå"),
    )
    months = person.programme.background_check_valid_months
    person.recruitment_steps.update(on=add_months(today + dt.timedelta(days=25), -months))
    patient = factories.ClientFactory(
        unit=volunteers.ward("Psykiatrisk klinik, avdelning 3"),
        first_name="Petra",
        last_name="Patientsson",
    )
    factories.AssignmentFactory(
        client=patient, support_person=person, started_on=today - dt.timedelta(days=12)
    )
    earlier = factories.ClientFactory(unit=volunteers.ward(), first_name="Tidigare")
    factories.AssignmentFactory(
        client=earlier,
        support_person=person,
        started_on=today - dt.timedelta(days=200),
        ended_on=today - dt.timedelta(days=100),
        end_reason="care_ended",
    )
    factories.TrainingEventFactory(
        programme=person.programme,
        locality=person.locality,
        title="Kvällsmöte om LPT",
        on=today + dt.timedelta(days=9),
    )

    # The office invites from the person's page.
    office = _context(browser, browser_context_args, 1280, 900)
    http = HttpClient()
    http.force_login(admin_user)
    share_session(office, http, live_server)
    page = office.new_page()
    page.goto(live_server.url + reverse("supportpersons:detail", args=[person.pk]))
    page.get_by_role("button", name="Bjud in till appen").click()
    expect(page.get_by_text("Inbjudan har skickats.")).to_be_visible()
    office.close()
    body = mail.outbox[-1].body
    assert "Petra" not in body and "Patientsson" not in body
    link = re.search(r"https?://\S+/konto/inbjudan/\S+/", body)
    assert link
    path = link.group(0).split("/", 3)[3]

    # The volunteer on the phone.
    phone = _context(browser, browser_context_args, 390, 844)
    page = phone.new_page()
    page.goto(f"{live_server.url}/{path}")
    expect(page.get_by_role("heading", name="Välj ditt lösenord")).to_be_visible()
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Ditt lösenord är sparat.")).to_be_visible()
    login(page, live_server, "vera@example.se", PASSWORD)

    expect(page.get_by_role("heading", name="Tystnadsförbindelse")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    page.check("#id_accept")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.get_by_role("heading", name="Mina uppdrag", exact=True)).to_be_visible()
    assert UndertakingAcceptance.objects.filter(support_person=person).exists()

    expect(page.get_by_test_id("check-warning")).to_contain_text("om 25 dagar")
    expect(page.get_by_test_id("client-name")).to_have_text("Petra Patientsson")
    expect(page.get_by_test_id("earlier-assignments")).not_to_contain_text("Tidigare")
    page.get_by_role("button", name="Anmäl mig – Kvällsmöte om LPT").click()
    expect(page.get_by_text("Du är anmäld till Kvällsmöte om LPT.")).to_be_visible()
    assert Registration.objects.current().filter(support_person=person).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    screenshot(page, "home-390")

    wide = _context(browser, browser_context_args, 1280, 900)
    wide.add_cookies(phone.cookies())  # the volunteer's own session, on a wide screen
    desk = wide.new_page()
    desk.goto(live_server.url + reverse("overview:volunteer_home"))
    expect(desk.get_by_role("heading", name="Mina uppdrag", exact=True)).to_be_visible()
    assert desk.evaluate("document.documentElement.scrollWidth") <= 1280
    assert serious_violations(desk) == []
    screenshot(desk, "home-1280")
    wide.close()
    phone.close()
