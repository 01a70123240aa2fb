"""The unit manager's and the support person's screens: who may, who may not, and what
they do."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, SatisfactionFollowUp
from clients.models import Consent, Contact, Deviation, ProtectedIdentity
from duties.models import DutyCheck, DutyTemplate
from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# The screens these tests walk live in three apps since issue #12.
NAMESPACES = {
    **dict.fromkeys(["checklist", "tick", "withdraw"], "duties"),
    **dict.fromkeys(["client", "clients", "dashboard", "my_clients"], "overview"),
}


def url(name, *args):
    return reverse(f"{NAMESPACES.get(name, 'assignments')}:{name}", args=args)


# --- Access: who may and who may not --------------------------------------------------


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


# --- Client list -----------------------------------------------------------------------


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
    with django_assert_num_queries(14):  # 13 + the nav's open-flag badge
        as_manager_a.get(url("clients"))


@pytest.mark.parametrize("rows", [5, 50])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    as_manager_a, world, rows, django_assert_num_queries
):
    _clients_in_unit_a(world, rows)
    with django_assert_num_queries(21):  # 20 + the nav's open-flag badge
        as_manager_a.get(url("dashboard"))


# --- Assigning and changing ------------------------------------------------------------


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
        url("deactivate", person.pk), {"on": TODAY().isoformat(), "reason": "Slutat"}
    )
    assert response.status_code == 200
    assert [c.pk for c in response.context["released"]] == [world.client_a.pk]
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.INACTIVE
    assignment = Assignment.objects.get(pk=world.assignment_a.pk)
    assert assignment.end_reason == Assignment.EndReason.SUPPORT_PERSON_INACTIVE
    assert person.status_changes.get().reason == "Slutat"


def test_a_manager_cannot_deactivate_a_support_person_outside_their_units(as_manager_b, world):
    # Manager B sees the person in their programme's pool, so the truthful answer is "not
    # yours to change" (403), not "no such person" (404).
    assert as_manager_b.get(url("deactivate", world.sp_with_client.pk)).status_code == 403


# --- The support person's checklist ----------------------------------------------------


def test_a_support_person_sees_their_clients_and_the_checklist(as_support_person, world):
    assert "Åke Öberg" in as_support_person.get(url("my_clients")).content.decode()
    response = as_support_person.get(url("checklist", world.assignment_a.pk))
    assert len(response.context["rows"]) == 12


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("as_support_person", 200),
        ("as_manager_a", 200),
        ("as_manager_b", 404),
        ("as_support_person_without_client", 404),
    ],
)
def test_the_checklist_is_for_the_support_person_and_the_manager(request, world, persona, status):
    http = request.getfixturevalue(persona)
    assert http.get(url("checklist", world.assignment_a.pk)).status_code == status


def test_my_clients_is_for_support_persons_only(as_manager_a):
    assert as_manager_a.get(url("my_clients")).status_code == 403


def _documentation(world):
    return DutyTemplate.objects.get(
        programme=world.unit_a.programme, code=DutyTemplate.Code.DOCUMENTATION
    )


def test_ticking_a_duty_with_htmx_returns_the_updated_row(as_support_person, world):
    template = _documentation(world)
    response = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk),
        {"done_on": TODAY().isoformat(), "note": "Månadsanteckning"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.context["row"].state == "done"
    assert 'data-state="done"' in response.content.decode()
    assert DutyCheck.objects.get().by.username == "stod_med"


def test_ticking_without_javascript_redirects_back_to_the_checklist(as_support_person, world):
    template = _documentation(world)
    response = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk), {"done_on": TODAY().isoformat()}
    )
    assert response.status_code == 302
    assert DutyCheck.objects.count() == 1


@pytest.mark.parametrize(
    "done_on",
    [
        lambda a: (TODAY() + dt.timedelta(days=1)).isoformat(),
        lambda a: (a.started_on - dt.timedelta(days=1)).isoformat(),
        lambda a: "2026-02-30",
        lambda a: "",
    ],
)
def test_a_tick_in_the_future_before_the_assignment_or_malformed_is_refused(
    as_support_person, world, done_on
):
    template = _documentation(world)
    response = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk),
        {"done_on": done_on(world.assignment_a)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.context["error"]
    assert not DutyCheck.objects.exists()


def test_the_same_tick_posted_twice_is_saved_once(as_support_person, world):
    template = _documentation(world)
    data = {"done_on": TODAY().isoformat()}
    as_support_person.post(url("tick", world.assignment_a.pk, template.pk), data)
    again = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk), data, headers={"HX-Request": "true"}
    )
    assert "redan avbockad" in again.context["error"]
    assert DutyCheck.objects.count() == 1


def test_a_tick_on_another_persons_client_is_not_found(as_support_person_without_client, world):
    response = as_support_person_without_client.post(
        url("tick", world.assignment_a.pk, _documentation(world).pk),
        {"done_on": TODAY().isoformat()},
    )
    assert response.status_code == 404
    assert not DutyCheck.objects.exists()


def test_a_manager_can_read_but_not_tick_the_checklist(as_manager_a, world):
    response = as_manager_a.post(
        url("tick", world.assignment_a.pk, _documentation(world).pk),
        {"done_on": TODAY().isoformat()},
    )
    assert response.status_code == 403


def test_a_tick_made_by_mistake_is_withdrawn_the_same_day_and_kept_in_history(
    as_support_person, world
):
    template = _documentation(world)
    as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk), {"done_on": TODAY().isoformat()}
    )
    check = DutyCheck.objects.get()
    response = as_support_person.post(
        url("withdraw", world.assignment_a.pk, check.pk), headers={"HX-Request": "true"}
    )
    assert response.context["row"].last_done is None
    check.refresh_from_db()
    assert check.withdrawn_at is not None
    again = as_support_person.post(
        url("withdraw", world.assignment_a.pk, check.pk), headers={"HX-Request": "true"}
    )
    assert "redan" in again.context["error"]


def test_a_tick_from_yesterday_can_no_longer_be_withdrawn(as_support_person, world, sp_user):
    check = factories.DutyCheckFactory(
        assignment=world.assignment_a,
        template=_documentation(world),
        by=sp_user,
        created_at=timezone.now() - dt.timedelta(days=1),
    )
    response = as_support_person.post(
        url("withdraw", world.assignment_a.pk, check.pk), headers={"HX-Request": "true"}
    )
    assert "samma dag" in response.context["error"]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_checklist_runs_a_fixed_number_of_queries(
    as_support_person, world, sp_user, rows, django_assert_num_queries
):
    templates = list(DutyTemplate.objects.filter(programme=world.unit_a.programme))
    for i in range(rows):
        factories.DutyCheckFactory(
            assignment=world.assignment_a,
            template=templates[i % len(templates)],
            done_on=TODAY() - dt.timedelta(days=i),
            by=sp_user,
        )
    with django_assert_num_queries(13):  # 12 + the nav's open-flag badge
        as_support_person.get(url("checklist", world.assignment_a.pk))


# --- Recording from the client page ----------------------------------------------------


def test_a_support_person_records_a_consent_and_a_deviation(as_support_person, world):
    client_pk = world.client_a.pk
    response = as_support_person.post(
        reverse("clients:consent_new", args=[client_pk]),
        {"purpose": "Kontakt med vården", "given_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    assert Consent.objects.get().client == world.client_a
    as_support_person.post(
        reverse("clients:deviation_new", args=[client_pk]),
        {"occurred_on": TODAY().isoformat(), "category": "ordinary", "description": "Sen insats"},
    )
    deviation = Deviation.objects.get()
    assert deviation.reported_by.username == "stod_med"
    assert deviation.status == Deviation.Status.OPEN


def test_a_consent_reviewed_before_it_was_given_gets_a_swedish_error(as_support_person, world):
    response = as_support_person.post(
        reverse("clients:consent_new", args=[world.client_a.pk]),
        {"purpose": "X", "given_on": "2026-05-01", "review_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "kan inte vara före" in response.content.decode()
    assert not Consent.objects.exists()


def test_recording_on_a_client_out_of_reach_is_not_found(as_support_person, world):
    response = as_support_person.post(
        reverse("clients:risk_new", args=[world.client_a2.pk]),
        {"kind": "risk", "description": "x", "decided_on": TODAY().isoformat()},
    )
    assert response.status_code == 404


def test_a_search_of_a_pasted_page_is_cut_short_not_an_error(as_manager_a, world):
    response = as_manager_a.get(url("clients"), {"q": " ".join(f"ord{i}" for i in range(1500))})
    assert response.status_code == 200


def test_a_unit_choice_that_is_not_a_number_is_ignored(as_manager_a, world):
    for value in ["²", "9" * 40, "abc"]:
        assert as_manager_a.get(url("dashboard"), {"unit": value}).status_code == 200


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
        url("deactivate", world.sp_with_client.pk), {"on": TODAY().isoformat(), "reason": "x"}
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
