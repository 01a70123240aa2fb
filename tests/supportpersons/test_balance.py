"""The pool balance per locality: active persons by gender and language against the wishes
of the clients waiting, with a shortage marked (the seed: too few men in Skellefteå)."""

import pytest
from django.urls import reverse

from clients.models import Gender
from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def skelleftea(db):
    programme = factories.patient_committee_programme()
    place = factories.LocalityFactory(name="Skellefteå")
    unit = factories.UnitFactory(programme=programme, locality=place, name="Psykiatri Skellefteå")
    arabic = factories.LanguageFactory(name="Arabiska")
    for _ in range(3):
        factories.SupportPersonFactory(programme=programme, locality=place, gender=Gender.WOMAN)
    man = factories.SupportPersonFactory(
        programme=programme, locality=place, gender=Gender.MAN, capacity=1
    )
    man.languages.add(arabic)
    factories.SupportPersonFactory(
        programme=programme,
        locality=place,
        gender=Gender.MAN,
        status=SupportPerson.Status.APPLICANT,
        recruited_on=None,
    )
    # Two patients waiting who wish a man: an open request, and a client with no one.
    factories.RequestFactory(
        client=factories.ClientFactory(unit=unit), wished_gender=Gender.MAN, wished_language=arabic
    )
    factories.ClientFactory(unit=unit, wished_gender=Gender.MAN)
    return {"programme": programme, "place": place}


def test_too_few_men_in_skelleftea_is_marked_as_a_shortage(as_admin, skelleftea):
    response = as_admin.get(reverse("assignments:balance"))
    [row] = response.context["rows"]
    men = next(line for line in row.genders if line.label == "Man")
    assert (men.active, men.free, men.wished) == (1, 1, 2)
    assert men.shortage and row.shortage
    women = next(line for line in row.genders if line.label == "Kvinna")
    assert (women.active, women.wished, women.shortage) == (3, 0, False)
    [arabic] = row.languages
    assert (arabic.active, arabic.wished, arabic.shortage) == (1, 1, False)
    assert row.waiting == 2
    assert 'data-testid="shortage"' in response.content.decode()


def test_the_balance_can_be_narrowed_to_a_programme(as_admin, skelleftea, world):
    response = as_admin.get(
        reverse("assignments:balance"), {"programme": skelleftea["programme"].pk}
    )
    assert [row.locality.name for row in response.context["rows"]] == ["Skellefteå"]
    everything = as_admin.get(reverse("assignments:balance"), {"programme": "abc"})
    assert everything.status_code == 200
    assert len(everything.context["rows"]) >= 2


@pytest.mark.parametrize("rows", [5, 50])
def test_the_balance_runs_a_fixed_number_of_queries(
    as_admin, skelleftea, rows, django_assert_num_queries
):
    for _ in range(rows):
        factories.SupportPersonFactory(
            programme=skelleftea["programme"], locality=skelleftea["place"]
        )
        factories.ClientFactory(unit__programme=skelleftea["programme"], wished_gender="woman")
    with django_assert_num_queries(16):
        as_admin.get(reverse("assignments:balance"))
