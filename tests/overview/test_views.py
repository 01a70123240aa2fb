"""The overview screens: the dashboard, the client list and page, a support person's own
clients: who may, who may not, and what they show."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import ProtectedIdentity
from tests import factories
from tests.screens import url

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("as_admin", 200),
        ("as_manager_a", 200),
        ("as_support_person", 403),
    ],
)
def test_the_dashboard_is_for_managers_and_administrators(request, world, persona, status):
    assert request.getfixturevalue(persona).get(url("dashboard")).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world):
    response = client.get(url("clients"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_dashboard_counts_only_the_managers_own_units(as_manager_b, world):
    response = as_manager_b.get(url("dashboard"))
    assert response.context["data"].coverage.clients == 1
    assert "Lena" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "client_attr", "status"),
    [
        ("as_manager_a", "client_a", 200),
        ("as_manager_a", "client_b", 404),
        ("as_manager_b", "client_a", 404),
        ("as_support_person", "client_a", 200),
        ("as_support_person", "client_a2", 404),
        ("as_support_person_without_client", "client_a", 404),
        ("as_admin", "client_b", 200),
    ],
)
def test_the_client_page_is_only_for_those_who_need_to_know(
    request, world, persona, client_attr, status
):
    http = request.getfixturevalue(persona)
    assert http.get(url("client", getattr(world, client_attr).pk)).status_code == status


def test_a_client_that_does_not_exist_and_a_malformed_id_answer_404(as_manager_a):
    assert as_manager_a.get(url("client", 999999)).status_code == 404
    assert as_manager_a.get("/klienter/abc/").status_code == 404


def test_the_client_list_shows_a_support_person_only_their_own_clients(as_support_person, world):
    page = as_support_person.get(url("clients")).content.decode()
    assert "Åke Öberg" in page
    assert "Lena Ek" not in page and "Bo Berg" not in page


def test_a_support_person_without_clients_sees_an_empty_list(as_support_person_without_client):
    response = as_support_person_without_client.get(url("clients"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("text", ["öberg", "ÖBERG", "åke öb", "Åke"])
def test_search_matches_swedish_letters_in_any_case(as_manager_a, world, text):
    response = as_manager_a.get(url("clients"), {"q": text})
    assert [c.pk for c in response.context["page"]] == [world.client_a.pk]


def test_the_list_filters_clients_without_a_support_person(as_manager_a, world):
    response = as_manager_a.get(url("clients"), {"has_support_person": "no"})
    assert [c.pk for c in response.context["page"]] == [world.client_a2.pk]


def test_the_list_filters_by_open_flag_kind(as_manager_a, world):
    factories.FlagFactory(client=world.client_a2)
    response = as_manager_a.get(url("clients"), {"flag": "no_support_person"})
    assert [c.pk for c in response.context["page"]] == [world.client_a2.pk]


def test_a_filter_on_another_managers_unit_is_refused(as_manager_a, world):
    response = as_manager_a.get(url("clients"), {"unit": world.unit_b.pk})
    assert response.status_code == 200
    assert "unit" in response.context["filter"].errors
    assert world.client_b not in response.context["page"]


def test_the_list_masks_personnummer_and_hides_protected_names(as_manager_a, world):
    world.client_a.personnummer = "19900101-0017"
    world.client_a.save()
    world.client_a2.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    world.client_a2.save()
    page = as_manager_a.get(url("clients")).content.decode()
    assert "19900101-****" in page and "0017" not in page
    assert "Lena Ek" not in page


def _clients_in_unit_a(world, count):
    for _ in range(count):
        client = factories.ClientFactory(unit=world.unit_a)
        factories.AssignmentFactory(client=client)
        factories.FlagFactory(client=client)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_client_list_runs_a_fixed_number_of_queries(
    as_manager_a, world, rows, django_assert_num_queries
):
    _clients_in_unit_a(world, rows)
    with django_assert_num_queries(15):  # 13 + the nav's open-flag badge + the read log
        as_manager_a.get(url("clients"))


@pytest.mark.parametrize("rows", [5, 50])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    as_manager_a, world, rows, django_assert_num_queries
):
    _clients_in_unit_a(world, rows)
    # 20 + the nav's open-flag badge + the read log + the open flags of the to-do list
    with django_assert_num_queries(23):
        as_manager_a.get(url("dashboard"))


def test_a_support_person_sees_their_clients_and_the_checklist(as_support_person, world):
    assert "Åke Öberg" in as_support_person.get(url("my_clients")).content.decode()
    response = as_support_person.get(url("checklist", world.assignment_a.pk))
    assert len(response.context["rows"]) == 12


def test_my_clients_is_for_support_persons_only(as_manager_a):
    assert as_manager_a.get(url("my_clients")).status_code == 403


def test_a_search_of_a_pasted_page_is_cut_short_not_an_error(as_manager_a, world):
    response = as_manager_a.get(url("clients"), {"q": " ".join(f"ord{i}" for i in range(1500))})
    assert response.status_code == 200


def test_a_unit_choice_that_is_not_a_number_is_ignored(as_manager_a, world):
    for value in ["²", "9" * 40, "abc"]:
        assert as_manager_a.get(url("dashboard"), {"unit": value}).status_code == 200
