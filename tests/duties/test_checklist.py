"""The duty checklist: who may read and tick it, ticks and their withdrawal."""

import datetime as dt

import pytest
from django.utils import timezone

from duties.models import DutyCheck, DutyTemplate
from tests import factories
from tests.screens import url

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


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
    with django_assert_num_queries(14):  # 12 + the nav's open-flag badge + the read log
        as_support_person.get(url("checklist", world.assignment_a.pk))


def test_the_rows_come_overdue_and_due_soon_first_then_the_rest(as_support_person, world, sp_user):
    templates = list(
        DutyTemplate.objects.filter(programme=world.unit_a.programme, interval_months__isnull=False)
    )
    # Everything done today except one duty: that one stays overdue (the world's client
    # started long enough ago for its grace period to have run out).
    for template in templates[1:]:
        factories.DutyCheckFactory(
            assignment=world.assignment_a, template=template, done_on=TODAY(), by=sp_user
        )
    response = as_support_person.get(url("checklist", world.assignment_a.pk))
    states = [row.state for row in response.context["rows"]]
    order = {"overdue": 0, "due_soon": 1, "done": 2, "ongoing": 3}
    assert states == sorted(states, key=order.__getitem__)
    groups = response.context["groups"]
    assert [r.template for r in groups.due] == [templates[0]]
    assert all(r.state == "done" for r in groups.upcoming)
    assert all(r.state == "ongoing" for r in groups.ongoing)
    page = response.content.decode()
    # The due duty is on the page before the collapsed group of done duties.
    assert page.index(f'id="duty-{templates[0].pk}"') < page.index(
        '<details class="mb-4 duty-group">'
    )


def test_the_tick_form_has_one_button_for_done_today(as_support_person, world):
    template = _documentation(world)
    response = as_support_person.get(url("checklist", world.assignment_a.pk))
    page = response.content.decode()
    row = page[page.index(f'id="duty-{template.pk}"') :]
    row = row[: row.index("</li>")]
    today_form = row[: row.index("<details")]
    assert "Klar idag" in today_form
    assert f'<input type="hidden" name="done_on" value="{TODAY().isoformat()}">' in today_form
    assert today_form.count('type="submit"') == 1
    # The date and the note only behind "Annat datum eller anteckning".
    assert "Annat datum eller anteckning" in row
    assert 'type="date"' not in today_form


def test_a_tick_with_htmx_is_announced_in_the_live_region(as_support_person, world):
    template = _documentation(world)
    response = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk),
        {"done_on": TODAY().isoformat()},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert 'id="checklist-status"' in page
    assert 'hx-swap-oob="innerHTML"' in page
    assert f"{template.title}: markerad som klar." in page
