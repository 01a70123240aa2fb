"""Who may be offered a new assignment (supportpersons/eligibility.py)."""

import datetime as dt

import pytest

from supportpersons.eligibility import offer_blockers
from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 2)


def test_an_active_person_can_be_offered_an_assignment():
    person = factories.SupportPersonFactory(recruited_on=DAY - dt.timedelta(days=30))
    assert offer_blockers(person, today=DAY) == []


@pytest.mark.parametrize("status", [SupportPerson.Status.PAUSED, SupportPerson.Status.INACTIVE])
def test_a_paused_or_inactive_person_cannot(status):
    person = factories.SupportPersonFactory(first_name="Greta", last_name="Ek", status=status)
    assert offer_blockers(person, today=DAY) == ["Greta Ek är inte aktiv i poolen."]


def test_a_person_recruited_later_cannot_be_offered_one_today():
    person = factories.SupportPersonFactory(recruited_on=DAY + dt.timedelta(days=1))
    assert len(offer_blockers(person, today=DAY)) == 1
