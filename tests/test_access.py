"""Each persona sees exactly the records it should (OSL 25-26 kap.: need to know)."""

import pytest

from assignments.models import Assignment, SupportRequest
from clients.models import Client, Unit
from duties.models import DutyCheck
from flags.models import Flag
from supportpersons.models import SupportPerson
from tests import factories


@pytest.fixture
def extra(world):
    """Records hanging on each client, to see that access follows the client."""
    factories.FlagFactory(client=world.client_a2)
    factories.FlagFactory(client=world.client_b)
    factories.RequestFactory(client=world.client_a2)
    factories.RequestFactory(client=world.client_b)
    factories.DutyCheckFactory(assignment=world.assignment_a)
    sp_b = factories.SupportPersonFactory(unit=world.unit_b)
    factories.AssignmentFactory(client=world.client_b, support_person=sp_b)
    return world


def names(queryset):
    return sorted(str(c.last_name) for c in queryset)


@pytest.mark.django_db
def test_an_administrator_sees_every_client(extra, admin_user):
    assert Client.objects.visible_to(admin_user).count() == 3
    assert Unit.objects.visible_to(admin_user).count() == 2


@pytest.mark.django_db
def test_a_unit_manager_sees_the_clients_of_their_units_only(extra, manager_a, manager_b):
    assert names(Client.objects.visible_to(manager_a)) == ["Ek", "Öberg"]
    assert names(Client.objects.visible_to(manager_b)) == ["Berg"]
    assert list(Unit.objects.visible_to(manager_b)) == [extra.unit_b]


@pytest.mark.django_db
def test_a_support_person_sees_only_the_client_assigned_to_them(
    extra, sp_user, sp_user_without_client
):
    assert names(Client.objects.visible_to(sp_user)) == ["Öberg"]
    assert Client.objects.visible_to(sp_user_without_client).count() == 0
    assert Unit.objects.visible_to(sp_user).count() == 0


@pytest.mark.django_db
def test_a_support_person_loses_sight_of_a_client_when_the_assignment_ends(extra, sp_user):
    extra.assignment_a.ended_on = extra.assignment_a.started_on
    extra.assignment_a.end_reason = Assignment.EndReason.CHANGE
    extra.assignment_a.save()
    assert Client.objects.visible_to(sp_user).count() == 0
    assert Assignment.objects.visible_to(sp_user).count() == 0
    assert DutyCheck.objects.visible_to(sp_user).count() == 0


@pytest.mark.django_db
def test_an_anonymous_user_sees_nothing(extra):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for model in (Client, Unit, SupportPerson, Assignment, SupportRequest, Flag, DutyCheck):
        assert model.objects.visible_to(anonymous).count() == 0, model


@pytest.mark.django_db
def test_rows_that_hang_on_a_client_follow_the_clients_access(extra, manager_a, sp_user):
    assert {f.client for f in Flag.objects.visible_to(manager_a)} == {extra.client_a2}
    assert {r.client for r in SupportRequest.objects.visible_to(manager_a)} == {extra.client_a2}
    assert {a.client for a in Assignment.objects.visible_to(manager_a)} == {extra.client_a}
    assert Flag.objects.visible_to(sp_user).count() == 0
    assert DutyCheck.objects.visible_to(sp_user).count() == 1
    assert SupportRequest.objects.visible_to(sp_user).count() == 0


@pytest.mark.django_db
def test_support_persons_are_visible_to_their_units_managers_and_to_themselves(
    extra, manager_a, manager_b, sp_user, sp_user_without_client
):
    # Each manager sees the assistants of their own units, not the programme's whole pool.
    assert set(SupportPerson.objects.visible_to(manager_a)) == {
        extra.sp_with_client,
        extra.sp_without_client,
    }
    assert SupportPerson.objects.visible_to(manager_b).count() == 1
    assert list(SupportPerson.objects.visible_to(sp_user)) == [extra.sp_with_client]
    other_programme_person = factories.SupportPersonFactory(
        programme=factories.patient_committee_programme()
    )
    assert other_programme_person not in SupportPerson.objects.visible_to(manager_a)
