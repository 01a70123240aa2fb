"""The unit manager and the pool (issue 15, item 5): a manager sees and exports the support
persons of their units (and whoever has a client there now), not every unit's; pauses,
reactivates and deactivates their units' own from the person's page, which offers exactly
what the URLs allow (one rule: SupportPersonQuerySet.scope)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(name: str, *args) -> str:
    return reverse(f"supportpersons:{name}", args=args)


@pytest.fixture
def pool(world):
    """Beside unit A's two assistants: one of unit B, one of a third unit, one of the
    programme with no unit, and one of unit B who has a client in unit A now."""
    third = factories.UnitFactory(name="Enhet C")
    helper = factories.SupportPersonFactory(unit=world.unit_b, last_name="Hjälpsam")
    factories.AssignmentFactory(
        client=factories.ClientFactory(unit=world.unit_a), support_person=helper
    )
    return {
        "unit_b": factories.SupportPersonFactory(unit=world.unit_b, last_name="Bergström"),
        "third": factories.SupportPersonFactory(unit=third, last_name="Tredje"),
        "no_unit": factories.SupportPersonFactory(unit=None, last_name="Utanför"),
        "helper": helper,
    }


def test_a_manager_lists_only_the_support_persons_of_their_units(as_manager_a, world, pool):
    listed = set(as_manager_a.get(url("list")).context["page"].paginator.object_list)
    assert listed == {world.sp_with_client, world.sp_without_client, pool["helper"]}


def test_a_manager_exports_only_the_support_persons_of_their_units(as_manager_a, world, pool):
    response = as_manager_a.get(url("export_people", "csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["efternamn"] for row in rows} == {
        world.sp_with_client.last_name,
        world.sp_without_client.last_name,
        "Hjälpsam",
    }


def test_another_units_support_person_is_out_of_reach(as_manager_a, pool):
    for person in (pool["unit_b"], pool["third"], pool["no_unit"]):
        assert as_manager_a.get(url("detail", person.pk)).status_code == 404


def test_an_administrator_still_sees_the_whole_pool(as_admin, world, pool):
    listed = set(as_admin.get(url("list")).context["page"].paginator.object_list)
    assert set(pool.values()) <= listed


def test_a_patient_committee_manager_reads_the_committees_pool(world):
    from django.test import Client as HttpClient

    programme = factories.patient_committee_programme()
    boss = factories.UserFactory(username="chef_pn")
    factories.UnitFactory(programme=programme, managers=[boss])
    volunteer = factories.SupportPersonFactory(programme=programme, unit=None)
    http = HttpClient()
    http.force_login(boss)
    listed = set(http.get(url("list")).context["page"].paginator.object_list)
    assert listed == {volunteer}
    # The pool is the office's to run: the committee's manager reads it, but pauses no one.
    assert http.get(url("pause", volunteer.pk)).status_code == 403


def test_the_person_page_offers_the_unit_manager_pause_and_deactivation(as_manager_a, world):
    page = as_manager_a.get(url("detail", world.sp_with_client.pk))
    body = page.content.decode()
    assert url("pause", world.sp_with_client.pk) in body
    assert reverse("assignments:deactivate", args=[world.sp_with_client.pk]) in body
    # The administrators' own work stays theirs.
    assert url("edit", world.sp_with_client.pk) not in body
    assert url("step", world.sp_with_client.pk) not in body


def test_a_manager_who_sees_a_person_but_does_not_lead_them_is_offered_nothing(as_manager_a, pool):
    helper = pool["helper"]  # unit B's, with a client in unit A
    body = as_manager_a.get(url("detail", helper.pk)).content.decode()
    assert url("pause", helper.pk) not in body
    assert reverse("assignments:deactivate", args=[helper.pk]) not in body
    assert as_manager_a.get(url("pause", helper.pk)).status_code == 403
    assert as_manager_a.get(reverse("assignments:deactivate", args=[helper.pk])).status_code == 403


def test_the_unit_manager_pauses_and_reactivates_their_assistant(as_manager_a, world, manager_a):
    person = world.sp_with_client
    response = as_manager_a.post(
        url("pause", person.pk), {"on": TODAY().isoformat(), "reason": "Föräldraledig"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.PAUSED
    assert person.status_changes.last().by == manager_a
    body = as_manager_a.get(url("detail", person.pk)).content.decode()
    assert url("reactivate", person.pk) in body
    response = as_manager_a.post(
        url("reactivate", person.pk), {"on": TODAY().isoformat(), "reason": "Åter"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.ACTIVE


def test_a_pause_without_a_reason_is_refused_in_swedish(as_manager_a, world):
    response = as_manager_a.post(url("pause", world.sp_with_client.pk), {"on": TODAY()})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Detta fält måste fyllas i."]
    assert 'data-testid="error-summary"' in response.content.decode()


def test_the_pause_page_names_only_the_clients_the_manager_may_see(as_manager_a, world):
    other = factories.ClientFactory(unit=world.unit_b, first_name="Annan", last_name="Enhet")
    world.sp_with_client.capacity = 5
    world.sp_with_client.save()
    factories.AssignmentFactory(client=other, support_person=world.sp_with_client)
    body = as_manager_a.get(url("pause", world.sp_with_client.pk)).content.decode()
    assert "Åke Öberg" in body and "Annan Enhet" not in body
    assert "1 klient i en enhet du inte leder" in body
