"""Matching for personal assistance (issue 15, item 6): the assistants who work on the
client's unit first, ranked by free place, wishes and load; then those of other units in
the same locality; nobody from another locality. The reasons shown agree with the order."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.matching import Candidate, rank_candidates
from clients.models import Gender, Unit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(world):
    """The world's units (and their assistants) out of the way, in a third town."""
    Unit.objects.filter(pk__in=[world.unit_a.pk, world.unit_b.pk]).update(
        locality=factories.LocalityFactory(name="Lycksele")
    )
    return world


@pytest.fixture
def town(elsewhere, manager_a):
    """Ersboda and Centrum in Umeå, a unit in Skellefteå, and a client of Ersboda who wishes
    for a man who speaks Arabic."""
    umea = factories.LocalityFactory(name="Umeå")
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    arabic = factories.LanguageFactory(name="Arabiska")
    ersboda = factories.UnitFactory(name="Ersboda", locality=umea, managers=[manager_a])
    centrum = factories.UnitFactory(name="Centrum", locality=umea)
    north = factories.UnitFactory(name="Skellefteå centrum", locality=skelleftea)
    client = factories.ClientFactory(unit=ersboda, wished_gender=Gender.MAN, wished_language=arabic)

    def person(name: str, unit, locality, *, load: int = 0, man: bool = False, **kwargs):
        sp = factories.SupportPersonFactory(
            first_name=name,
            last_name="Assistent",
            unit=unit,
            locality=locality,
            gender=Gender.MAN if man else Gender.WOMAN,
            **kwargs,
        )
        for _ in range(load):
            factories.AssignmentFactory(
                client=factories.ClientFactory(unit=unit or ersboda), support_person=sp
            )
        return sp

    people = {
        # The unit's own: one with room who meets one wish, one busier who meets none, one
        # who meets both wishes but has no place left.
        "own_light": person("Anna", ersboda, umea, man=True),
        "own_busy": person("Berit", ersboda, umea, load=2),
        "own_full": person("Cecilia", ersboda, umea, load=3, man=True),
        # Same town, another unit: meets both wishes with no load (today's first).
        "town": person("David", centrum, umea, man=True),
        # Same town, no unit (lives there).
        "town_no_unit": person("Eva", None, umea),
        # Skellefteå: never offered for an Umeå client.
        "north": person("Fredrik", north, skelleftea, man=True),
        "north_no_unit": person("Gustav", None, skelleftea, man=True),
        # Lives in Skellefteå, works on the client's unit: they work here.
        "commuter": person("Hanna", ersboda, skelleftea, load=1),
    }
    for key in ("own_full", "town", "north", "north_no_unit"):
        people[key].languages.add(arabic)
    return client, people


def names(candidates: list[Candidate]) -> list[str]:
    return [c.person.first_name for c in candidates]


def test_the_units_own_assistants_come_first_then_the_town_and_never_another_town(town):
    client, people = town
    ranked = rank_candidates(client)
    assert names(ranked) == ["Anna", "Hanna", "Berit", "Cecilia", "David", "Eva"]
    offered = {c.person.pk for c in ranked}
    assert people["north"].pk not in offered and people["north_no_unit"].pk not in offered


def test_a_same_town_assistant_from_outside_the_unit_does_not_rank_first(town):
    client, people = town
    assert rank_candidates(client)[0].person != people["town"]


def test_an_assistant_from_another_locality_is_not_offered_even_when_alone(elsewhere):
    umea = factories.LocalityFactory(name="Umeå")
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    client = factories.ClientFactory(unit=factories.UnitFactory(locality=umea))
    factories.SupportPersonFactory(
        unit=factories.UnitFactory(locality=skelleftea), locality=skelleftea
    )
    factories.SupportPersonFactory(unit=None, locality=skelleftea)
    assert rank_candidates(client) == []


def _explains(above: Candidate, below: Candidate) -> bool:
    """Whether what the page shows of the two says why `above` stands above `below`: its
    group (the unit first), a free place, more of the client's wishes met, a lighter load."""
    if above.group != below.group:
        return above.group == "Arbetar på klientens enhet"
    if ("Inga lediga platser" in below.warnings) != ("Inga lediga platser" in above.warnings):
        return "Inga lediga platser" in below.warnings
    wishes = ("Kön enligt klientens önskemål", "Talar ")

    def met(c: Candidate) -> int:
        return sum(1 for r in c.reasons if r.startswith(wishes))

    if met(above) != met(below):
        return met(above) > met(below)
    return above.load <= below.load


def test_the_reasons_shown_agree_with_the_order(town):
    client, _ = town
    ranked = rank_candidates(client)
    for above, below in itertools.pairwise(ranked):
        assert _explains(above, below), (names([above]), names([below]))
    assert ranked[0].reasons[:2] == ["3 av 3 platser lediga", "Kön enligt klientens önskemål"]
    assert "Inga lediga platser" in ranked[3].warnings


def test_the_page_groups_the_candidates_under_where_they_work(as_manager_a, town):
    client, _ = town
    response = as_manager_a.get(reverse("assignments:assign", args=[client.pk]))
    page = response.content.decode()
    own = page.index("Arbetar på klientens enhet")
    elsewhere = page.index("Arbetar på en annan enhet i Umeå")
    assert own < page.index("Anna Assistent") < elsewhere < page.index("David Assistent")
    assert "Fredrik Assistent" not in page and "Gustav Assistent" not in page


def test_an_assistant_from_another_locality_cannot_be_posted(as_manager_a, town):
    client, people = town
    response = as_manager_a.post(
        reverse("assignments:assign", args=[client.pk]),
        {"support_person": people["north"].pk, "started_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert not client.assignments.exists()


def test_the_patient_committee_still_ranks_its_volunteers_by_score(world):
    programme = factories.patient_committee_programme()
    umea = factories.LocalityFactory(name="Umeå")
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    patient = factories.ClientFactory(
        unit=factories.UnitFactory(programme=programme, locality=umea), wished_gender=Gender.MAN
    )
    here = factories.SupportPersonFactory(programme=programme, locality=umea)
    there = factories.SupportPersonFactory(
        programme=programme, locality=skelleftea, gender=Gender.MAN
    )
    ranked = rank_candidates(patient)
    assert [c.person for c in ranked] == [there, here]
    assert all(c.group == "" for c in ranked)
