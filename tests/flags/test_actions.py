"""From a flag to its action in one step (flags/actions.py), and a flag's own page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import ReadLogEntry
from flags.actions import ROUTES, action_for, with_action_targets
from flags.models import Flag
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Flag.Kind


def _annotated(flag: Flag) -> Flag:
    return with_action_targets(Flag.objects.filter(pk=flag.pk)).get()


def test_every_kind_of_flag_has_an_action_and_a_sentence():
    assert set(ROUTES) == set(Kind.values)
    for _, label, resolves in ROUTES.values():
        assert str(label) and str(resolves).endswith(".")


def test_a_plan_or_documentation_flag_leads_to_the_current_assignments_checklist(world):
    for kind in (Kind.PLAN_OVERDUE, Kind.DOCUMENTATION_MISSING):
        flag = factories.FlagFactory(client=world.client_a, kind=kind)
        assert action_for(_annotated(flag)).url == reverse(
            "duties:checklist", args=[world.assignment_a.pk]
        )
    # Nobody assigned: the client's page, at the checklist's place.
    alone = factories.FlagFactory(client=world.client_a2, kind=Kind.PLAN_OVERDUE)
    action = action_for(_annotated(alone))
    assert action.url == reverse("overview:client", args=[world.client_a2.pk]) + "#duties-heading"
    assert action.label != action_for(_annotated(flag)).label  # not "Open the checklist"


def test_each_kind_leads_to_the_screen_that_resolves_it_for_its_target(world):
    client = world.client_a
    request = factories.RequestFactory(client=client)
    deviation = factories.DeviationFactory(client=client)
    expected = {
        Kind.REQUEST_LATE: (request.pk, reverse("assignments:request", args=[request.pk])),
        Kind.REQUEST_DUE_SOON: (request.pk, reverse("assignments:request", args=[request.pk])),
        Kind.NO_SUPPORT_PERSON: (client.pk, reverse("assignments:assign", args=[client.pk])),
        Kind.CARE_ENDED: (
            world.assignment_a.pk,
            reverse("assignments:release", args=[world.assignment_a.pk]),
        ),
        Kind.DEVIATION_OPEN: (deviation.pk, reverse("clients:deviation", args=[deviation.pk])),
        Kind.DEVIATION_UNINVESTIGATED: (
            deviation.pk,
            reverse("clients:deviation", args=[deviation.pk]),
        ),
        Kind.IVO_REPORT_LATE: (deviation.pk, reverse("clients:deviation", args=[deviation.pk])),
        Kind.CONSENT_REVIEW: (1, reverse("clients:consent_renew", args=[1])),
        Kind.RISK_FOLLOW_UP: (1, reverse("clients:risk_follow_up", args=[1])),
        Kind.MEASURE_WITHOUT_CONSENT: (1, reverse("clients:risk_follow_up", args=[1])),
        Kind.NO_CONTACT: (client.pk, reverse("overview:client", args=[client.pk])),
    }
    for kind, (target_id, url) in expected.items():
        flag = factories.FlagFactory(client=client, kind=kind, target_id=target_id)
        assert action_for(_annotated(flag)).url == url, kind


def test_a_flag_on_a_support_person_leads_to_their_page_or_their_new_background_check(world):
    person = world.sp_without_client
    flag = Flag.objects.create(
        kind=Kind.BACKGROUND_CHECK, client=None, support_person=person, target_id=person.pk
    )
    assert action_for(flag).url == reverse("supportpersons:background_check_new", args=[person.pk])
    report = Flag.objects.create(
        kind=Kind.REPORT_LATE, client=None, support_person=person, target_id=1
    )
    assert action_for(report).url == reverse("supportpersons:detail", args=[person.pk])


# --- The screens that show flags -------------------------------------------------------


def test_the_flags_page_the_dashboard_and_the_client_page_show_the_action(as_manager_a, world):
    deviation = factories.DeviationFactory(client=world.client_a)
    factories.FlagFactory(client=world.client_a, kind=Kind.DEVIATION_OPEN, target_id=deviation.pk)
    url = reverse("clients:deviation", args=[deviation.pk])
    for page in (
        reverse("flags:list"),
        reverse("overview:dashboard"),
        reverse("overview:client", args=[world.client_a.pk]),
    ):
        content = as_manager_a.get(page).content.decode()
        assert f'href="{url}" data-testid="flag-action">Öppna avvikelsen' in content, page


def test_the_flags_page_shows_a_flag_without_a_client(as_admin, world):
    person = world.sp_without_client
    Flag.objects.create(
        kind=Kind.BACKGROUND_CHECK, client=None, support_person=person, target_id=person.pk
    )
    response = as_admin.get(reverse("flags:list"))
    assert response.status_code == 200
    assert reverse("supportpersons:detail", args=[person.pk]) in response.content.decode()


@pytest.mark.parametrize("rows", [4, 40])
def test_the_flags_page_with_actions_runs_a_fixed_number_of_queries(
    as_manager_a, world, rows, django_assert_num_queries
):
    for _ in range(rows):
        client = factories.ClientFactory(unit=world.unit_a)
        factories.AssignmentFactory(client=client, support_person=world.sp_without_client)
        factories.FlagFactory(client=client, kind=Kind.PLAN_OVERDUE)
        deviation = factories.DeviationFactory(client=client)
        factories.FlagFactory(client=client, kind=Kind.DEVIATION_OPEN, target_id=deviation.pk)
    with django_assert_num_queries(14):  # as tests/flags/test_flag_views.py pins it
        response = as_manager_a.get(reverse("flags:list"))
    assert response.content.decode().count('data-testid="flag-action"') == min(25, 2 * rows)


# --- A flag's own page -----------------------------------------------------------------


def test_a_flags_page_says_what_resolves_it_and_links_to_the_action(as_manager_a, world):
    flag = factories.FlagFactory(client=world.client_a2, kind=Kind.NO_SUPPORT_PERSON)
    response = as_manager_a.get(reverse("flags:flag", args=[flag.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tilldela klienten en stödperson." in page
    assert reverse("assignments:assign", args=[world.client_a2.pk]) in page
    assert ReadLogEntry.objects.filter(subject_id=world.client_a2.pk).exists()


def test_a_flags_page_is_in_reach_as_the_flag_is(
    as_manager_b, as_support_person, as_support_person_without_client, as_admin, world
):
    flag = factories.FlagFactory(client=world.client_a, kind=Kind.CONSENT_REVIEW)
    url = reverse("flags:flag", args=[flag.pk])
    assert as_manager_b.get(url).status_code == 404
    assert as_support_person_without_client.get(url).status_code == 404
    assert as_support_person.get(url).status_code == 200
    assert as_admin.get(url).status_code == 200
    assert as_admin.get(reverse("flags:flag", args=[987654])).status_code == 404


def test_a_flag_without_a_client_has_its_page_for_an_administrator(as_admin, world):
    person = world.sp_without_client
    flag = Flag.objects.create(
        kind=Kind.BACKGROUND_CHECK, client=None, support_person=person, target_id=person.pk
    )
    page = as_admin.get(reverse("flags:flag", args=[flag.pk])).content.decode()
    assert "Registrera ett nytt utdrag ur belastningsregistret" in page
    assert reverse("supportpersons:detail", args=[person.pk]) in page
