"""Offers in the browser (issue 16, item 3): the office offers a request to two volunteers,
one accepts on the phone (390 x 844), the office appoints in one step, and the other sees
the offer closed. Each page fits the screen at 390 and 1280 px and passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from assignments.models import Assignment, Offer
from tests.assignments.offer_setup import committee
from tests.factories import DEFAULT_PASSWORD

from .conftest import login
from .test_accessibility import serious_violations


def _page(browser: Browser, args: dict[str, Any], width: int) -> Page:
    context = browser.new_context(
        **{**args, "viewport": {"width": width, "height": 844}},
        is_mobile=width < 576,
        has_touch=width < 576,
    )
    return context.new_page()


def _fits(page: Page, width: int, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert serious_violations(page) == [], name


def test_an_offer_is_made_accepted_on_the_phone_and_appointed(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    admin_user: Any,
    screenshot: Any,
) -> None:
    pc = committee()
    office = _page(browser, browser_context_args, 1280)
    login(office, live_server, "admin", DEFAULT_PASSWORD)
    office.goto(live_server.url + reverse("assignments:request", args=[pc.request.pk]))
    office.get_by_test_id("make-offer").click()
    for width in (1280, 390):
        office.set_viewport_size({"width": width, "height": 844})
        _fits(office, width, "offer form")
        screenshot(office, f"offer-form-{width}")
    office.set_viewport_size({"width": 1280, "height": 844})
    office.get_by_label("Erik Volontär").check()
    office.get_by_label("Maja Volontär").check()
    office.get_by_label("Meddelande till stödpersonerna").fill("Besök helst på eftermiddagen.")
    office.get_by_role("button", name="Skicka förfrågan").click()
    expect(office.get_by_text("Förfrågan har skickats till 2 stödpersoner.")).to_be_visible()
    expect(office.get_by_test_id("offer-row")).to_have_count(2)

    phone = _page(browser, browser_context_args, 390)
    login(phone, live_server, "stod.erik", DEFAULT_PASSWORD)
    phone.goto(live_server.url + reverse("assignments:my_offers"))
    expect(phone.get_by_test_id("waiting-offer")).to_have_count(1)
    for width in (390, 1280):
        phone.set_viewport_size({"width": width, "height": 844})
        _fits(phone, width, "my offers")
        screenshot(phone, f"my-offers-{width}")
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.get_by_test_id("waiting-offer").get_by_role("link").first.click()
    expect(phone.get_by_test_id("offer-preview")).to_contain_text("Psykiatrisk avdelning 3")
    expect(phone.get_by_test_id("offer-preview")).not_to_contain_text("Patientsson")
    _fits(phone, 390, "offer")
    screenshot(phone, "offer-390")
    phone.get_by_test_id("accept").click()
    expect(phone.get_by_text("Tack! Du har accepterat.")).to_be_visible()

    office.goto(live_server.url + reverse("assignments:request", args=[pc.request.pk]))
    _fits(office, 1280, "request page with an acceptance")
    screenshot(office, "request-accepted-1280")
    office.get_by_test_id("appoint-accepted").click()
    expect(office.get_by_test_id("answer")).to_contain_text("Erik Volontär")
    assert Assignment.objects.get(request=pc.request).support_person == pc.erik

    maja = Offer.objects.get(request=pc.request, support_person=pc.maja)
    other = _page(browser, browser_context_args, 390)
    login(other, live_server, "stod.maja", DEFAULT_PASSWORD)
    other.goto(live_server.url + reverse("assignments:my_offer", args=[maja.pk]))
    expect(other.get_by_test_id("closing-message")).to_contain_text(
        "En annan stödperson har förordnats"
    )
    _fits(other, 390, "closed offer")
    screenshot(other, "closed-offer-390")


pytestmark = pytest.mark.django_db(transaction=True)
