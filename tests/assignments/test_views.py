"""The unit manager's screens: assign, change, follow up, deactivate: who may, who may
not, and what they do."""

import datetime as dt

import pytest
from django.utils import timezone

from assignments.models import Assignment, SatisfactionFollowUp
from clients.models import Contact
from supportpersons.models import SupportPerson
from tests import factories
from tests.screens import url

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


def test_a_manager_assigns_a_support_person_to_a_client_without_one(as_manager_a, world):
    page = as_manager_a.get(url("assign", world.client_a2.pk))
    candidates = page.context["candidates"]
    assert candidates[0].person == world.sp_without_client  # free capacity beats load
    response = as_manager_a.post(
        url("assign", world.client_a2.pk),
        {"support_person": world.sp_without_client.pk, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    active = Assignment.objects.get(client=world.client_a2, ended_on__isnull=True)
    assert active.support_person == world.sp_without_client


def test_a_form_posted_twice_assigns_once_and_says_why(as_manager_a, world):
    data = {"support_person": world.sp_without_client.pk, "started_on": TODAY().isoformat()}
    as_manager_a.post(url("assign", world.client_a2.pk), data)
    again = as_manager_a.post(url("assign", world.client_a2.pk), data)
    assert again.status_code == 302  # back to the client page, with a message
    assert Assignment.objects.filter(client=world.client_a2).count() == 1


def test_assigning_in_the_future_is_refused_in_swedish(as_manager_a, world):
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    response = as_manager_a.post(
        url("assign", world.client_a2.pk),
        {"support_person": world.sp_without_client.pk, "started_on": future},
    )
    assert response.status_code == 200
    assert "kan inte vara i framtiden" in response.content.decode()
    assert not Assignment.objects.filter(client=world.client_a2).exists()


def test_an_applicant_is_not_among_the_candidates(as_manager_a, world):
    applicant = factories.SupportPersonFactory(
        unit=world.unit_a, status=SupportPerson.Status.APPLICANT
    )
    page = as_manager_a.get(url("assign", world.client_a2.pk))
    assert applicant not in [c.person for c in page.context["candidates"]]
    response = as_manager_a.post(
        url("assign", world.client_a2.pk),
        {"support_person": applicant.pk, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert not Assignment.objects.filter(client=world.client_a2).exists()


@pytest.mark.parametrize(("persona", "status"), [("as_manager_b", 404), ("as_support_person", 403)])
def test_only_the_clients_manager_may_assign(request, world, persona, status):
    http = request.getfixturevalue(persona)
    response = http.post(
        url("assign", world.client_a2.pk),
        {"support_person": world.sp_without_client.pk, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == status
    assert not Assignment.objects.filter(client=world.client_a2).exists()


def test_a_change_ends_the_old_assignment_and_starts_the_new_one_with_the_handover(
    as_manager_a, world
):
    factories.ContactFactory(client=world.client_a, role=Contact.Role.GOOD_MAN)
    today = TODAY().isoformat()
    data = {
        "successor": world.sp_without_client.pk,
        "reason": "client_wish",
        "changed_on": today,
        "client_informed_on": today,
    }
    refused = as_manager_a.post(url("change", world.client_a.pk), data)
    assert refused.status_code == 200  # the god man must be told
    assert "god man" in refused.content.decode().lower()
    response = as_manager_a.post(
        url("change", world.client_a.pk), {**data, "good_man_informed_on": today}
    )
    assert response.status_code == 302
    old = Assignment.objects.get(pk=world.assignment_a.pk)
    assert old.ended_on == TODAY() and old.end_reason == Assignment.EndReason.CHANGE
    new = Assignment.objects.get(client=world.client_a, ended_on__isnull=True)
    assert new.support_person == world.sp_without_client
    assert new.change_to.previous == old
    assert old.history.count() == 2  # created, then ended: the history is kept


def test_a_wish_to_change_is_on_the_dashboard_until_the_change_is_made(as_manager_a, world):
    today = TODAY().isoformat()
    as_manager_a.post(
        url("satisfaction", world.client_a.pk),
        {"on": today, "outcome": "wants_change", "note": ""},
    )
    dashboard = as_manager_a.get(url("dashboard"))
    assert len(dashboard.context["data"].change_wishes) == 1
    as_manager_a.post(
        url("change", world.client_a.pk),
        {
            "successor": world.sp_without_client.pk,
            "reason": "client_wish",
            "changed_on": today,
            "client_informed_on": today,
        },
    )
    assert SatisfactionFollowUp.objects.get().handled_at is not None
    assert as_manager_a.get(url("dashboard")).context["data"].change_wishes == []


def test_deactivating_a_support_person_lists_and_releases_their_clients(as_manager_a, world):
    person = world.sp_with_client
    page = as_manager_a.get(url("deactivate", person.pk))
    assert "Åke Öberg" in page.content.decode()
    response = as_manager_a.post(
        url("deactivate", person.pk),
        {"on": TODAY().isoformat(), "reason": "Slutat", "confirm": "1"},
    )
    assert response.status_code == 200
    assert [c.pk for c in response.context["released"]] == [world.client_a.pk]
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.INACTIVE
    assignment = Assignment.objects.get(pk=world.assignment_a.pk)
    assert assignment.end_reason == Assignment.EndReason.SUPPORT_PERSON_INACTIVE
    assert person.status_changes.get().reason == "Slutat"


def test_a_manager_cannot_deactivate_a_support_person_outside_their_units(as_manager_b, world):
    # Unit A's assistant is out of manager B's reach: no such person, as far as B can tell.
    assert as_manager_b.get(url("deactivate", world.sp_with_client.pk)).status_code == 404
    # With a client in unit B, manager B sees the person, who is still not theirs to change.
    factories.AssignmentFactory(client=world.client_b, support_person=world.sp_without_client)
    assert as_manager_b.get(url("deactivate", world.sp_without_client.pk)).status_code == 403


def test_a_manager_cannot_deactivate_a_person_with_clients_in_other_units(as_manager_a, world):
    other_unit_client = factories.ClientFactory(
        unit=world.unit_b, first_name="Annan", last_name="Enhet"
    )
    world.sp_with_client.capacity = 5
    world.sp_with_client.save()
    factories.AssignmentFactory(client=other_unit_client, support_person=world.sp_with_client)
    page = as_manager_a.get(url("deactivate", world.sp_with_client.pk)).content.decode()
    assert "Annan Enhet" not in page and "Åke Öberg" in page
    response = as_manager_a.post(
        url("deactivate", world.sp_with_client.pk),
        {"on": TODAY().isoformat(), "reason": "x", "confirm": "1"},
    )
    assert response.status_code == 200
    world.sp_with_client.refresh_from_db()
    assert world.sp_with_client.status == SupportPerson.Status.ACTIVE


def test_an_assignment_cannot_start_before_the_previous_one_ended(as_manager_a, world):
    factories.AssignmentFactory(
        client=world.client_a2,
        support_person=world.sp_without_client,
        started_on=TODAY() - dt.timedelta(days=100),
        ended_on=TODAY() - dt.timedelta(days=10),
        end_reason=Assignment.EndReason.OTHER,
    )
    response = as_manager_a.post(
        url("assign", world.client_a2.pk),
        {
            "support_person": world.sp_without_client.pk,
            "started_on": (TODAY() - dt.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert Assignment.objects.filter(client=world.client_a2).count() == 1
