"""The flags page and the nav badge: who may, who sees what, filters, a fixed number of
queries, and counts that agree with the dashboard and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from clients.models import ProtectedIdentity, Unit
from flags import checks
from flags.context_processors import open_flags
from flags.models import Flag
from stodperson import context_processors
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Flag.Kind
URL = "/flaggor/"


@pytest.fixture
def flagged(world):
    return {
        "a": factories.FlagFactory(
            client=world.client_a, kind=Kind.PLAN_OVERDUE, target_id=world.client_a.pk
        ),
        "a2": factories.FlagFactory(client=world.client_a2, target_id=world.client_a2.pk),
        "a2_old": factories.FlagFactory(
            client=world.client_a2,
            kind=Kind.CONSENT_REVIEW,
            target_id=5,
            raised_at=timezone.now() - dt.timedelta(days=40),
        ),
        "b": factories.FlagFactory(client=world.client_b, target_id=world.client_b.pk),
        "resolved": factories.FlagFactory(
            client=world.client_a,
            kind=Kind.RISK_FOLLOW_UP,
            target_id=9,
            resolved_at=timezone.now(),
        ),
    }


def shown(response) -> set[int]:
    return {flag.pk for flag in response.context["page"]}


def test_the_route_is_named_flags():
    assert reverse("flags:list") == URL


# --- Who may, and what they see --------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["as_admin", "as_manager_a", "as_support_person", "as_support_person_without_client"],
)
def test_administrators_managers_and_support_persons_may_see_the_page(request, world, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 200


def test_a_user_without_a_role_may_not(world):
    http = HttpClient()
    http.force_login(factories.UserFactory(username="ingen_roll"))
    assert http.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_sees_only_the_open_flags_of_clients_they_may_see(
    as_admin,
    as_manager_a,
    as_manager_b,
    as_support_person,
    as_support_person_without_client,
    flagged,
):
    assert shown(as_admin.get(URL)) == {flagged[k].pk for k in ["a", "a2", "a2_old", "b"]}
    assert shown(as_manager_a.get(URL)) == {flagged[k].pk for k in ["a", "a2", "a2_old"]}
    assert shown(as_manager_b.get(URL)) == {flagged["b"].pk}
    assert shown(as_support_person.get(URL)) == {flagged["a"].pk}
    assert shown(as_support_person_without_client.get(URL)) == set()


def test_the_page_links_to_the_client_and_hides_a_protected_name(as_manager_a, world, flagged):
    world.client_a2.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    world.client_a2.save()
    page = as_manager_a.get(URL).content.decode()
    assert reverse("overview:client", args=[world.client_a.pk]) in page
    assert reverse("overview:client", args=[world.client_a2.pk]) in page
    assert "Åke Öberg" in page
    assert "Lena" not in page
    assert world.client_a2.display_name in page


# --- Filters ---------------------------------------------------------------------------


def test_it_filters_by_kind_and_the_counts_stay_as_tabs(as_manager_a, flagged):
    response = as_manager_a.get(URL, {"kind": Kind.NO_SUPPORT_PERSON})
    assert shown(response) == {flagged["a2"].pk}
    assert {c.kind: c.number for c in response.context["counts"]} == {
        Kind.PLAN_OVERDUE: 1,
        Kind.NO_SUPPORT_PERSON: 1,
        Kind.CONSENT_REVIEW: 1,
    }


def test_it_filters_by_unit(as_admin, world, flagged):
    response = as_admin.get(URL, {"unit": world.unit_b.pk})
    assert shown(response) == {flagged["b"].pk}


def test_a_filter_on_another_managers_unit_is_refused(as_manager_a, world, flagged):
    response = as_manager_a.get(URL, {"unit": world.unit_b.pk})
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert flagged["b"].pk not in shown(response)


def test_a_support_person_has_no_unit_filter(as_support_person, flagged):
    assert "unit" not in as_support_person.get(URL).context["form"].fields


@pytest.mark.parametrize(("older_than", "expected"), [("7", {"a2_old"}), ("30", {"a2_old"})])
def test_it_filters_by_age(as_manager_a, flagged, older_than, expected):
    response = as_manager_a.get(URL, {"older_than": older_than})
    assert shown(response) == {flagged[k].pk for k in expected}


def test_it_pages_the_list(as_admin, world):
    for n in range(30):
        factories.FlagFactory(client=world.client_b, kind=Kind.CONSENT_REVIEW, target_id=n)
    first = as_admin.get(URL, {"kind": Kind.CONSENT_REVIEW})
    second = as_admin.get(URL, {"kind": Kind.CONSENT_REVIEW, "page": 2})
    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 5
    assert shown(first).isdisjoint(shown(second))
    assert "kind=consent_review&amp;page=2" in first.content.decode()


# --- Fixed number of queries -----------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_the_flags_page_runs_a_fixed_number_of_queries(
    as_manager_a, world, rows, django_assert_num_queries
):
    for n in range(rows):
        client = factories.ClientFactory(unit=world.unit_a)
        factories.FlagFactory(client=client, target_id=client.pk)
        factories.FlagFactory(client=client, kind=Kind.CONSENT_REVIEW, target_id=n)
    # Session, user, the three role checks, the counts, the page's count, the nav badge,
    # the units for the filter, the rows, the read log of the clients shown (one INSERT),
    # and the session's save (savepoint pair).
    with django_assert_num_queries(14):
        response = as_manager_a.get(URL)
    assert len(response.context["page"]) == min(25, 2 * rows)


# --- The counts agree everywhere -------------------------------------------------------


def test_the_dashboard_the_flags_page_and_the_digest_count_the_same(
    as_manager_a, manager_a, world, flagged
):
    page = as_manager_a.get(URL).context["counts"]
    dashboard = as_manager_a.get(reverse("overview:dashboard")).context["data"].flag_counts
    digest = checks.open_flag_counts(checks.flags_of_person(manager_a))
    units = checks.open_flag_counts(checks.flags_of_units(Unit.objects.filter(managers=manager_a)))
    assert [tuple(c) for c in page] == [tuple(c) for c in dashboard]
    assert page == digest == units
    assert sum(c.number for c in page) == 3


# --- The nav badge ---------------------------------------------------------------------


def _badge(user) -> dict[str, object]:
    request = RequestFactory().get("/")
    request.user = user
    context_processors.roles(request)  # as in a real render: caches the role checks
    return open_flags(request)


def test_the_badge_counts_the_flags_the_user_can_see_in_one_query(
    world, flagged, manager_a, sp_user, django_assert_num_queries
):
    badge = _badge(manager_a)
    with django_assert_num_queries(1):
        assert str(badge["open_flag_count"]) == "3"
    assert str(_badge(sp_user)["open_flag_count"]) == "1"


def test_no_badge_without_a_role_and_no_query_until_shown(
    world, flagged, manager_a, django_assert_num_queries
):
    nobody = factories.UserFactory(username="ingen_roll")
    assert _badge(nobody) == {}
    request = RequestFactory().get("/")
    request.user = manager_a
    context_processors.roles(request)
    with django_assert_num_queries(0):
        open_flags(request)
