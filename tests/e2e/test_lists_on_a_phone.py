"""The administrator's request list and the audit log on a phone and on a desktop: nothing
scrolls sideways at 390 px (the tables become cards), axe-core finds no serious or critical
violation, and the filters work from the form."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from audit.models import ReadLogEntry
from clients.models import ProtectedIdentity
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login
from .test_accessibility import serious_violations

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


@pytest.fixture
def requests_of_every_kind(admin_user: Any) -> dict[str, Any]:
    """Open requests (one late, one due soon, one paused) and closed ones of every outcome,
    in two localities; one client with a protected identity; read log entries with long
    page addresses."""
    programme = factories.patient_committee_programme()
    umea = factories.LocalityFactory(name="Umeå")
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    north = factories.UnitFactory(
        programme=programme, name="Psykiatriska kliniken Skellefteå", locality=skelleftea
    )
    south = factories.UnitFactory(
        programme=programme, name="Rättspsykiatriska regionkliniken Umeå", locality=umea
    )
    person = factories.SupportPersonFactory(programme=programme, locality=umea)
    today = timezone.localdate()
    names = iter(
        [
            ("Pia", "Patient"),
            ("Karl-Johan", "Wästerlund-Öhrström"),
            ("Sven", "Sen"),
            ("Ida", "Itid"),
            ("Ulla", "Ursäktad"),
            ("Åsa", "Återkallad"),
            ("Greta", "Hemlig"),
        ]
    )

    def client(unit: Any) -> Any:
        first, last = next(names)
        return factories.ClientFactory(unit=unit, first_name=first, last_name=last)

    late = factories.RequestFactory(
        client=client(south), received_at=at(today - dt.timedelta(days=10)), wished_gender="man"
    )
    factories.RequestFactory(client=client(north), received_at=at(today))
    paused = factories.RequestFactory(
        client=client(south), received_at=at(today - dt.timedelta(days=2))
    )
    factories.RequestPauseFactory(request=paused, started_on=today)
    for unit, received, answered, excused in (
        (north, dt.date(2026, 3, 2), dt.date(2026, 3, 3), False),
        (south, dt.date(2026, 3, 9), dt.date(2026, 3, 20), True),
    ):
        req = factories.RequestFactory(
            client=client(unit), received_at=at(received), delay_excused=excused
        )
        factories.AssignmentFactory(
            client=req.client, support_person=person, request=req, started_on=answered
        )
    factories.RequestFactory(
        client=client(north),
        received_at=at(dt.date(2026, 4, 1)),
        withdrawn_at=at(dt.date(2026, 4, 2)),
    )
    hidden = client(south)
    hidden.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    hidden.save()
    factories.RequestFactory(
        client=hidden,
        received_at=at(dt.date(2026, 4, 7)),
        withdrawn_at=at(dt.date(2026, 4, 8)),
    )
    ReadLogEntry.objects.bulk_create(
        ReadLogEntry(
            username="chef.med.ett.mycket.langt.anvandarnamn",
            subject="client",
            subject_id=late.client_id if n % 2 else hidden.pk,
            protected=not n % 2,
            page=f"/klienter/{late.client_id}/?"
            + "&".join(f"filter{i}=ett-langt-varde-{i}" for i in range(8)),
        )
        for n in range(60)
    )
    return {"late": late, "hidden": hidden, "umea": umea}


def _open_filters(page: Page, width: int) -> None:
    if width < 576:
        toggle = page.get_by_role("button", name="Visa filtren")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")


def _fits(page: Page, width: int) -> None:
    if width <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_request_list_and_the_audit_log_fit_the_screen_and_pass_axe(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    requests_of_every_kind: dict[str, Any],
    screenshot: Any,
    width: int,
) -> None:
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": 844}},
        is_mobile=width < 576,
        has_touch=width < 576,
    )
    page = context.new_page()
    login(page, live_server, "admin", DEFAULT_PASSWORD)

    page.goto(live_server.url + reverse("assignments:requests"))
    expect(page.get_by_test_id("request-row")).to_have_count(3)
    _fits(page, width)
    screenshot(page, f"requests-{width}")

    # Every request, the closed ones after the open; then only the withdrawn in Umeå. On a
    # phone the filters are one tap away, open once a filter is in use.
    _open_filters(page, width)
    page.get_by_label("Status").select_option("all")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_test_id("request-row")).to_have_count(7)
    expect(page.get_by_test_id("count-closed")).to_have_text("4 avslutade begäranden")
    _fits(page, width)
    screenshot(page, f"requests-all-{width}")
    page.get_by_label("Utfall").select_option("withdrawn")
    page.get_by_label("Ort").select_option(label="Umeå")
    page.get_by_role("button", name="Filtrera").click()
    rows = page.get_by_test_id("request-row")
    expect(rows).to_have_count(1)
    hidden = requests_of_every_kind["hidden"]
    expect(rows.first).to_contain_text(f"Skyddad identitet (nr {hidden.pk})")
    expect(rows.first).not_to_contain_text("Hemlig")

    # A name that finds nothing: the page says so and offers to clear the filters.
    page.get_by_label("Klientens namn").fill("Hemlig")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_test_id("empty-state")).to_contain_text("Inga begäranden matchar filtren.")
    _fits(page, width)
    page.get_by_test_id("empty-state").get_by_role("link", name="Rensa filtren").click()
    expect(page.get_by_test_id("request-row")).to_have_count(3)

    # A wrong date is said at the top, in Swedish.
    _open_filters(page, width)
    page.get_by_label("Inkom till och med").fill("2026-03-01")
    page.get_by_label("Inkom från").fill("2026-03-09")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "Sista dagen kan inte vara före den första."
    )
    _fits(page, width)

    page.goto(live_server.url + reverse("audit:review"))
    expect(page.get_by_test_id("reads").locator("tbody tr")).to_have_count(50)
    _fits(page, width)
    screenshot(page, f"audit-{width}")
    page.get_by_role("navigation", name="Sidor med läsningar").get_by_role(
        "link", name="Nästa"
    ).click()
    expect(page.get_by_text("Sida 2 av 2")).to_be_visible()
    _fits(page, width)
    context.close()


def test_the_empty_request_list_names_the_next_action_on_a_phone(
    browser: Browser, browser_context_args: dict[str, Any], live_server: Any, admin_user: Any
) -> None:
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    login(page, live_server, "admin", DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("assignments:requests"))
    empty = page.get_by_test_id("empty-state")
    expect(empty).to_contain_text("Inga öppna begäranden.")
    _fits(page, 390)
    empty.get_by_role("link", name="Registrera en begäran").click()
    expect(page).to_have_url(live_server.url + reverse("assignments:request_new"))
    context.close()
