"""Protected identity (skyddade personuppgifter): a placeholder for everyone but the named
people who need the name; never found by name, never sorted by it; every read logged."""

import pytest
from django.urls import reverse

from audit.models import ReadLogEntry
from clients.models import Client, ProtectedIdentity
from supportpersons.models import SupportPerson
from tests import factories


@pytest.fixture
def protected(world):
    client = world.client_a
    client.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    client.save()
    return client


@pytest.mark.django_db
def test_the_client_page_shows_a_placeholder_to_the_manager(as_manager_a, protected):
    page = as_manager_a.get(reverse("overview:client", args=[protected.pk])).content.decode()
    assert "Åke" not in page and "Öberg" not in page
    assert f"Skyddad identitet (nr {protected.pk})" in page


@pytest.mark.django_db
def test_a_named_reader_sees_the_name_and_the_read_is_logged_as_protected(
    as_manager_a, manager_a, protected
):
    protected.identity_readers.add(manager_a)
    page = as_manager_a.get(reverse("overview:client", args=[protected.pk])).content.decode()
    assert "Åke Öberg" in page
    entry = ReadLogEntry.objects.get(subject="client")
    assert entry.protected and entry.subject_id == protected.pk


@pytest.mark.django_db
def test_a_protected_identity_is_never_found_by_name(as_manager_a, protected):
    assert not Client.objects.search("Öberg").exists()
    response = as_manager_a.get(reverse("overview:clients"), {"q": "öberg"})
    assert list(response.context["page"]) == []


@pytest.mark.django_db
def test_a_protected_identity_does_not_sort_by_its_real_name(world, protected):
    zeta = factories.ClientFactory(unit=world.unit_a, first_name="Åsa", last_name="Zetterberg")
    ordered = list(Client.objects.filter(unit=world.unit_a))
    assert ordered[0] == protected  # first, whatever the real name
    assert ordered[-1] == zeta


@pytest.mark.django_db
def test_a_protected_support_person_shows_a_placeholder_in_lists(as_admin, world):
    person = world.sp_with_client
    person.protected_identity = ProtectedIdentity.FICTITIOUS_IDENTITY
    person.save()
    page = as_admin.get(reverse("supportpersons:list")).content.decode()
    assert person.last_name not in page
    assert not SupportPerson.objects.search(person.last_name).exists()


@pytest.mark.django_db
def test_the_search_name_is_last_name_first_and_folded(world):
    assert world.client_a.search_name == "öberg åke"


@pytest.mark.django_db
def test_the_django_admin_hides_a_protected_name_from_administrators_who_are_not_named(
    world, admin_user, protected
):
    from django.test import Client as HttpClient

    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    http = HttpClient()
    http.force_login(admin_user)
    url = reverse("admin:clients_client_change", args=[protected.pk])
    page = http.get(url).content.decode()
    assert "Öberg" not in page
    assert ReadLogEntry.objects.filter(subject_id=protected.pk, protected=True).exists()
    protected.identity_readers.add(admin_user)
    assert "Öberg" in http.get(url).content.decode()
