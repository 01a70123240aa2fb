"""A unit manager acts on a client's records from the client page, on a phone and on a
desktop: renews a consent past review, follows up a restrictive measure with a consent, and
ends a contact; the next run of the checks raises none of their flags again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Consent, Contact, RiskMeasure
from flags import checks
from flags.models import Flag
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_manager_renews_follows_up_and_ends_from_the_client_page(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    """On a phone (390 px); the client page once more on a desktop at the end."""
    width = 390
    today = timezone.localdate()
    client = world.client_a
    consent = factories.ConsentFactory(
        client=client,
        purpose="Samverkan med vården",
        given_on=today - dt.timedelta(days=400),
        review_on=today - dt.timedelta(days=10),
    )
    measure = factories.RiskMeasureFactory(
        client=client,
        kind=RiskMeasure.Kind.RESTRICTIVE,
        description="Sänggrind nattetid",
        decided_on=today - dt.timedelta(days=90),
        follow_up_on=today - dt.timedelta(days=2),
    )
    factories.ContactFactory(client=client, role=Contact.Role.GOOD_MAN, name="Gun Godman")
    checks.run_checks(today=today)
    kinds = {Flag.Kind.CONSENT_REVIEW, Flag.Kind.RISK_FOLLOW_UP, Flag.Kind.MEASURE_WITHOUT_CONSENT}
    assert kinds <= set(Flag.objects.open().filter(client=client).values_list("kind", flat=True))

    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "chef_a", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/klienter/{client.pk}/")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, f"client-{width}")

    # Renew the consent past review.
    page.get_by_role("link", name="Förnya Samverkan med vården").click()
    page.locator("#id_given_on").fill(today.isoformat())
    page.locator("#id_review_on").fill((today + dt.timedelta(days=365)).isoformat())
    page.locator("#id_given_by").select_option("client")
    page.locator("#id_given_as").select_option("oral")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, f"renew-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Samtycket har förnyats.")).to_be_visible()
    expect(page.get_by_test_id("consents").get_by_text("Ersatt")).to_be_visible()
    renewed = Consent.objects.get(replaces=consent)

    # Follow up the measure: first in the future (refused), then today, on the new consent.
    page.get_by_role("link", name="Följ upp Sänggrind nattetid").click()
    page.locator("#id_followed_up_on").fill((today + dt.timedelta(days=1)).isoformat())
    page.locator("#id_outcome").fill("Behövs fortfarande nattetid.")
    page.locator("#id_next_follow_up_on").fill((today + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    page.locator("#id_followed_up_on").fill(today.isoformat())
    page.locator("#id_consent").select_option(str(renewed.pk))
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, f"follow-up-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Uppföljningen är registrerad.")).to_be_visible()

    # End the god man's contact.
    page.get_by_role("link", name="Avsluta Gun Godman").click()
    page.locator("#id_ended_on").fill(today.isoformat())
    page.locator("#id_reason").fill("Godmanskapet har upphört")
    page.get_by_role("button", name="Avsluta").click()
    expect(
        page.get_by_test_id("contacts").get_by_text(f"Avslutad {today.isoformat()}")
    ).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, f"after-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "after-1280")

    checks.run_checks(today=today)
    still = set(Flag.objects.open().filter(client=client).values_list("kind", flat=True))
    assert not kinds & still
    assert RiskMeasure.objects.get(pk=measure.pk).consent == renewed
