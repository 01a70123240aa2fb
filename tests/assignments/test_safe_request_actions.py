"""Issue 14: withdrawing a request cannot be undone, so it is confirmed on its own page with a
reason; the pause form starts empty and the excused reason is a choice the user makes."""

import datetime as dt

import pytest
from django.utils import timezone

from assignments.models import RequestPause
from assignments.request_forms import HEALTH_REASON
from supportpersons.models import SupportPerson
from tests.assignments.test_requests import TODAY, _request, pc, url  # noqa: F401

pytestmark = pytest.mark.django_db


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_the_withdraw_page_says_what_cannot_be_undone(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY() - dt.timedelta(days=1))
    page = as_admin.get(url("request_withdraw", req.pk)).content.decode()
    assert "kan inte ångras" in page and 'name="confirm"' in page
    req.refresh_from_db()
    assert req.withdrawn_at is None


def test_a_post_without_the_confirmation_withdraws_nothing(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY() - dt.timedelta(days=1))
    data = {"withdrawn_at": _now(), "withdrawal_reason": "Tackar nej"}
    response = as_admin.post(url("request_withdraw", req.pk), data)
    assert response.status_code == 200
    assert "kan inte ångras" in response.content.decode()
    req.refresh_from_db()
    assert req.withdrawn_at is None and req.withdrawal_reason == ""


def test_a_confirmed_withdrawal_keeps_its_reason(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY() - dt.timedelta(days=1))
    data = {
        "withdrawal_kind": "withdrawn_by_patient",
        "withdrawn_at": _now(),
        "withdrawal_reason": " Tackar nej ",
        "confirm": "1",
    }
    response = as_admin.post(url("request_withdraw", req.pk), data)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.withdrawn_at is not None and req.withdrawal_reason == "Tackar nej"
    assert "Tackar nej" in as_admin.get(url("request", req.pk)).content.decode()


def test_a_withdrawal_without_a_reason_is_refused_in_swedish(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY() - dt.timedelta(days=1))
    data = {"withdrawn_at": _now(), "withdrawal_reason": " ", "confirm": "1"}
    response = as_admin.post(url("request_withdraw", req.pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ange skälet till återkallelsen." in page
    assert 'href="#id_withdrawal_reason"' in page  # the error summary links to the field
    req.refresh_from_db()
    assert req.withdrawn_at is None


def test_the_pause_form_starts_empty(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY())
    form = as_admin.get(url("request", req.pk)).context["pause_form"]
    assert not form.initial and all(f.initial is None for f in form.fields.values())
    assert str(HEALTH_REASON) not in as_admin.get(url("request", req.pk)).content.decode()


def test_an_empty_pause_is_refused_and_pauses_nothing(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY())
    response = as_admin.post(url("request_pause", req.pk), {"started_on": TODAY().isoformat()})
    assert response.status_code == 200
    assert "Välj varför tiden pausas." in response.content.decode()
    assert not RequestPause.objects.exists()


def test_another_reason_must_be_written(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY())
    data = {"started_on": TODAY().isoformat(), "kind": "other", "reason": ""}
    response = as_admin.post(url("request_pause", req.pk), data)
    assert "Skriv skälet till pausen." in response.content.decode()
    assert not RequestPause.objects.exists()


def test_the_excused_choice_is_stored_as_the_health_reason(as_admin, pc):  # noqa: F811
    req = _request(pc["patient"], TODAY())
    data = {"started_on": TODAY().isoformat(), "kind": "health", "reason": "ignored"}
    assert as_admin.post(url("request_pause", req.pk), data).status_code == 302
    assert RequestPause.objects.get().reason == str(HEALTH_REASON)


# --- Releasing an assignment and deactivating a support person ------------------------------


def test_a_release_without_the_confirmation_changes_nothing(as_manager_a, world):
    data = {"ended_on": TODAY().isoformat(), "reason": "client_wish"}
    response = as_manager_a.post(url("release", world.assignment_a.pk), data)
    assert response.status_code == 200
    assert "kan inte ångras" in response.content.decode()
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.ended_on is None


def test_a_release_without_a_reason_is_refused_in_swedish(as_manager_a, world):
    data = {"ended_on": TODAY().isoformat(), "reason": "", "confirm": "1"}
    response = as_manager_a.post(url("release", world.assignment_a.pk), data)
    page = response.content.decode()
    assert response.status_code == 200 and "Detta fält måste fyllas i." in page
    assert 'href="#id_reason"' in page
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.ended_on is None


def test_a_deactivation_without_the_confirmation_changes_nothing(as_manager_a, world):
    person = world.sp_with_client
    data = {"on": TODAY().isoformat(), "reason": "Slutat"}
    response = as_manager_a.post(url("deactivate", person.pk), data)
    assert response.status_code == 200 and "released" not in response.context
    assert "för gott" in response.content.decode()
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.ACTIVE
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.ended_on is None


def test_a_deactivation_without_a_reason_is_refused_in_swedish(as_manager_a, world):
    person = world.sp_with_client
    data = {"on": TODAY().isoformat(), "reason": "", "confirm": "1"}
    response = as_manager_a.post(url("deactivate", person.pk), data)
    assert "Detta fält måste fyllas i." in response.content.decode()
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.ACTIVE
