"""Pages that belong to no app: the start page by role, login, and the error pages."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from stodperson import views
from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("as_admin", "overview:dashboard"),
        ("as_manager_a", "overview:dashboard"),
        ("as_support_person", "overview:my_clients"),
    ],
)
def test_each_role_starts_where_its_work_is(request, world, persona, target):
    response = request.getfixturevalue(persona).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_so_in_swedish():
    http = HttpClient()
    http.force_login(factories.UserFactory())
    page = http.get(reverse("home")).content.decode()
    assert "ingen roll" in page


@pytest.mark.django_db
def test_the_login_page_is_swedish(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="sv">' in page
    assert "Logga in" in page and "Användarnamn" in page


@pytest.mark.django_db
def test_a_missing_page_answers_404_in_swedish(as_manager_a):
    response = as_manager_a.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


@pytest.mark.django_db
def test_a_page_out_of_role_answers_403_in_swedish(as_support_person):
    response = as_support_person.get(reverse("overview:dashboard"))
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()


def test_the_500_page_needs_no_database_and_is_swedish(rf):
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Ett fel uppstod" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_is_for_administrators_only(world, manager_a):
    manager_a.is_staff = True
    manager_a.save()
    http = HttpClient()
    http.force_login(manager_a)
    assert http.get("/admin/").status_code == 302
