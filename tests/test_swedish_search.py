"""A name search that finds nothing says so, and offers the name with å, ä and ö (issue 14):
"Inga träffar på ”Oberg”. Sök med å, ä och ö. Menade du Öberg?". The offer comes from the
same list the user may see (scope and the other filters), names only persons the user may
see by name, and is in the read log; a protected identity is never offered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import ReadLogEntry
from clients.models import Client, ProtectedIdentity
from stodperson.text import folded_pattern
from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db


def _page(http, name: str, **params: str) -> str:
    return http.get(reverse(name), params).content.decode()


def test_the_folded_pattern_takes_a_and_a_ring_as_one():
    assert folded_pattern("Sundstrom") == "s[uüúùû][nñ]dstr[oöøóòôõ]m"
    assert folded_pattern("Öberg-Ek") == "[oöøóòôõ]b[eéèêë]rg\\-[eéèêë]k"


def test_the_database_finds_the_name_without_its_diacritics(world):
    factories.ClientFactory(unit=world.unit_a, first_name="Anna", last_name="Sundström")
    assert not Client.objects.search("Sundstrom").exists()
    found = Client.objects.search_without_diacritics("anna sundstrom")
    assert [c.last_name for c in found] == ["Sundström"]
    # Both ways: "Éklund" finds Eklund.
    factories.ClientFactory(unit=world.unit_a, first_name="Per", last_name="Eklund")
    assert [c.last_name for c in Client.objects.search_without_diacritics("Éklund")] == ["Eklund"]


def test_no_match_says_so_and_offers_the_name_with_a_ring_and_umlauts(as_manager_a, world):
    page = _page(as_manager_a, "overview:clients", q="Oberg")
    assert "Inga träffar på ”Oberg”. Sök med å, ä och ö." in page
    assert "Menade du" in page
    assert 'href="?q=%C3%96berg" data-testid="suggestion">Öberg</a>?' in page
    # The offered search finds the client.
    assert world.client_a.display_name in _page(as_manager_a, "overview:clients", q="Öberg")


def test_the_offer_keeps_the_other_filters(as_manager_a, world):
    page = _page(as_manager_a, "overview:clients", q="ake oberg", status="active")
    assert "status=active" in page and ">Åke Öberg</a>?" in page
    ended = _page(as_manager_a, "overview:clients", q="oberg", status="ended")
    assert "Menade du" not in ended and "Öberg" not in ended


def test_a_search_with_swedish_letters_is_not_told_to_use_them(as_manager_a, world):
    page = _page(as_manager_a, "overview:clients", q="Åkesson")
    assert "Inga träffar på ”Åkesson”." in page
    assert "Sök med å, ä och ö." not in page


def test_the_offered_names_are_in_the_read_log(as_manager_a, manager_a, world):
    _page(as_manager_a, "overview:clients", q="oberg")
    logged = ReadLogEntry.objects.filter(user=manager_a, subject="client", page__contains="q=oberg")
    assert list(logged.values_list("subject_id", flat=True)) == [world.client_a.pk]


def test_a_name_out_of_reach_is_never_offered(as_manager_b, world):
    # Öberg is a client of unit A: manager B does not see the client, so not the name.
    page = _page(as_manager_b, "overview:clients", q="oberg")
    assert "Inga träffar på ”oberg”" in page
    assert "Öberg" not in page and "Menade du" not in page


@pytest.mark.parametrize("named_reader", [False, True])
def test_a_protected_identity_is_never_offered(as_manager_a, manager_a, world, named_reader):
    client = factories.ClientFactory(
        unit=world.unit_a,
        first_name="Siv",
        last_name="Sundström",
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
    )
    if named_reader:
        client.identity_readers.add(manager_a)
    assert not Client.objects.search_without_diacritics("Sundstrom").exists()
    page = _page(as_manager_a, "overview:clients", q="Sundstrom")
    assert "Inga träffar på ”Sundstrom”" in page
    assert "Sundström" not in page and "Menade du" not in page
    assert not ReadLogEntry.objects.filter(subject="client", subject_id=client.pk).exists()


def test_a_protected_identity_is_not_offered_beside_another_name(as_manager_a, world):
    factories.ClientFactory(
        unit=world.unit_a,
        first_name="Siv",
        last_name="Sundström",
        protected_identity=ProtectedIdentity.FICTITIOUS_IDENTITY,
    )
    factories.ClientFactory(unit=world.unit_a, first_name="Maj", last_name="Sundstrøm")
    page = _page(as_manager_a, "overview:clients", q="Sundstrom")
    assert ">Sundstrøm</a>?" in page
    assert "Sundström" not in page and "Siv" not in page


def test_at_most_three_names_are_offered(as_manager_a, world):
    for last in ("Öst", "Öster", "Östby", "Östling"):
        factories.ClientFactory(unit=world.unit_a, first_name="Eva", last_name=last)
    page = _page(as_manager_a, "overview:clients", q="ost")
    assert page.count('data-testid="suggestion"') == 3


def test_the_pool_offers_the_name_too(as_admin, world):
    person = world.sp_with_client
    person.first_name, person.last_name = "Göran", "Sjöström"
    person.save()
    page = _page(as_admin, "supportpersons:list", q="goran sjostrom")
    assert "Inga träffar på ”goran sjostrom”. Sök med å, ä och ö." in page
    assert ">Göran Sjöström</a>?" in page
    logged = ReadLogEntry.objects.filter(subject="support_person", page__contains="sjostrom")
    assert list(logged.values_list("subject_id", flat=True)) == [person.pk]


def test_the_pool_never_offers_a_protected_identity(as_admin, admin_user, world):
    person = world.sp_with_client
    person.first_name, person.last_name = "Göran", "Sjöström"
    person.protected_identity = ProtectedIdentity.CONFIDENTIALITY_MARK
    person.save()
    person.identity_readers.add(admin_user)
    assert not SupportPerson.objects.search_without_diacritics("sjostrom").exists()
    page = _page(as_admin, "supportpersons:list", q="sjostrom")
    assert "Sjöström" not in page and "Menade du" not in page


def test_a_list_with_matches_gives_no_hint(as_manager_a, world):
    page = _page(as_manager_a, "overview:clients", q="öberg")
    assert "Inga träffar" not in page and world.client_a.display_name in page
