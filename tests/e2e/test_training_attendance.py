"""An administrator marks who attended a training event, with one checkbox per
registration."""

from typing import Any

from playwright.sync_api import Page, expect

from supportpersons.models import Registration, TrainingEvent
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .conftest import login
from .test_accessibility import serious_violations


def test_an_administrator_marks_attendance_at_an_event(
    page: Page, live_server: Any, admin_user: Any, screenshot: Any
) -> None:
    programme = factories.patient_committee_programme()
    umea = factories.LocalityFactory(name="Umeå")
    event = factories.TrainingEventFactory(
        programme=programme, locality=umea, title="Kvällsmöte i Umeå", min_registrations=2
    )
    came = factories.SupportPersonFactory(
        programme=programme, locality=umea, first_name="Karin", last_name="Kom"
    )
    away = factories.SupportPersonFactory(
        programme=programme, locality=umea, first_name="Bo", last_name="Borta"
    )
    for person in (came, away):
        factories.RegistrationFactory(event=event, support_person=person)
    login(page, live_server, "admin", DEFAULT_PASSWORD)

    page.get_by_role("button", name="Mer").click()  # the navigation groups the rest here
    page.get_by_role("link", name="Utbildning", exact=True).click()  # not the start page's
    page.get_by_role("link", name="Kvällsmöte i Umeå").click()
    expect(page.get_by_test_id("registration-count")).to_contain_text("2 anmälda av minst 2")
    assert serious_violations(page) == []
    page.get_by_label("Karin Kom").check()
    page.get_by_role("button", name="Spara närvaro").click()

    expect(page.get_by_text("Närvaron har sparats.")).to_be_visible()
    # Saving attendance does not mark the event held: that is its own step (issue 14).
    expect(page.get_by_test_id("event-status")).to_have_text("Planerad")
    page.get_by_role("button", name="Markera som genomfört").click()
    expect(page.get_by_text("Tillfället är markerat som genomfört.")).to_be_visible()
    expect(page.get_by_test_id("event-status")).to_have_text("Genomförd")
    expect(page.get_by_test_id("attended-count")).to_have_text("1 av 2 deltog")
    expect(page.get_by_label("Karin Kom")).to_be_checked()
    expect(page.get_by_label("Bo Borta")).not_to_be_checked()
    screenshot(page)
    page.get_by_role("link", name="Stödpersoner").first.click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Karin Kom").click()
    assert serious_violations(page) == []
    event.refresh_from_db()
    assert event.status == TrainingEvent.Status.HELD
    assert dict(Registration.objects.values_list("support_person__last_name", "attended")) == {
        "Kom": True,
        "Borta": False,
    }
