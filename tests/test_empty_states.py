"""Every list says when it is empty, and names the next action where the user may take one:
with no rows at all, the first thing to add; with filters that find nothing, clearing them."""

import pytest
from django.urls import reverse

from clients.models import Client
from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db


def _empty_state(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="empty-state"' in page
    return page


def test_no_support_persons_offers_the_administrator_to_register_the_first(as_admin):
    page = _empty_state(as_admin.get(reverse("supportpersons:list")))
    assert "Inga stödpersoner ännu." in page
    assert f'href="{reverse("supportpersons:new")}">Registrera den första stödpersonen' in page


def test_support_persons_filtered_to_nothing_offer_to_clear_the_filters(as_admin, world):
    url = reverse("supportpersons:list")
    page = _empty_state(as_admin.get(url, {"q": "Ingen Alls"}))
    assert "Inga stödpersoner matchar filtren." in page
    assert f'href="{url}">Rensa filtren' in page


def test_a_manager_without_support_persons_is_told_but_offered_nothing_to_do(as_manager_a, world):
    world.assignment_a.delete()
    SupportPerson.objects.all().delete()
    page = _empty_state(as_manager_a.get(reverse("supportpersons:list")))
    assert "Inga stödpersoner ännu." in page
    assert reverse("supportpersons:new") not in page


def test_no_training_events_offers_to_plan_the_first(as_admin):
    page = _empty_state(as_admin.get(reverse("supportpersons:events")))
    assert "Inga utbildningstillfällen ännu." in page
    assert f'href="{reverse("supportpersons:event_new")}">Planera det första' in page


def test_no_forum_recorded_points_to_the_form(as_admin):
    page = _empty_state(as_admin.get(reverse("supportpersons:collaboration")))
    assert "Inga forum antecknade ännu." in page
    assert 'href="#collaboration-form"' in page and 'id="collaboration-form"' in page


def test_a_programme_without_reports_offers_to_make_the_first(as_admin):
    programme = factories.patient_committee_programme()
    page = _empty_state(as_admin.get(reverse("reports:list")))
    assert f"Inga tertialrapporter för {programme.name} ännu." in page
    assert f'href="{reverse("reports:create")}">Gör den första rapporten' in page


def test_no_open_flags_says_the_checks_found_nothing(as_manager_a, world):
    page = _empty_state(as_manager_a.get(reverse("flags:list")))
    assert "Inga öppna flaggor: de dagliga kontrollerna hittade inget att åtgärda." in page
    assert "Rensa filtren" not in page


def test_flags_filtered_to_nothing_offer_to_clear_the_filters(as_manager_a, world):
    factories.FlagFactory(client=world.client_a2)
    url = reverse("flags:list")
    page = _empty_state(as_manager_a.get(url, {"older_than": "30"}))
    assert "Inga öppna flaggor för det valet." in page
    assert f'href="{url}">Rensa filtren' in page


def test_no_clients_offers_the_administrator_to_register_a_request(as_admin, world):
    world.assignment_a.delete()
    Client.objects.all().delete()
    page = _empty_state(as_admin.get(reverse("overview:clients")))
    assert "En klient läggs till med sin första begäran." in page
    assert f'href="{reverse("assignments:request_new")}">Registrera en begäran för en ny' in page


def test_a_manager_without_clients_is_told_who_adds_them(as_manager_b, world):
    world.client_b.delete()
    page = _empty_state(as_manager_b.get(reverse("overview:clients")))
    assert "En administratör lägger till klienten när begäran kommer in." in page
    assert reverse("assignments:request_new") not in page


def test_clients_filtered_to_nothing_offer_to_clear_the_filters(as_manager_a, world):
    url = reverse("overview:clients")
    page = _empty_state(as_manager_a.get(url, {"q": "Ingen Alls"}))
    assert "Inga klienter matchar filtren." in page
    assert f'href="{url}">Rensa filtren' in page


def test_an_empty_pool_balance_offers_to_register_the_first_support_person(as_admin):
    page = _empty_state(as_admin.get(reverse("assignments:balance")))
    assert "Inga aktiva stödpersoner och ingen som väntar." in page
    assert f'href="{reverse("supportpersons:new")}">Registrera den första stödpersonen' in page
