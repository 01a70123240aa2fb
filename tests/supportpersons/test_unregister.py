"""Issue 14: a registration is removed only after a confirmation page; the row is kept with
when and by whom it was removed, and no longer counts as registered or attended."""

import pytest

from supportpersons import screens
from supportpersons.models import Registration, TrainingEvent
from tests import factories
from tests.supportpersons.test_training import umea, url  # noqa: F401

pytestmark = pytest.mark.django_db


def _registered(event, people):
    return [factories.RegistrationFactory(event=event, support_person=p) for p in people]


def test_the_remove_page_says_what_happens_and_removes_nothing(as_admin, umea):  # noqa: F811
    event = umea["event"]
    registration = _registered(event, umea["people"][:1])[0]
    page = as_admin.get(url("event_unregister", event.pk, registration.pk))
    assert page.status_code == 200
    assert "kan inte ångras" in page.content.decode()
    assert registration.support_person.display_name in page.content.decode()
    plain = as_admin.post(url("event_unregister", event.pk, registration.pk), {})
    assert plain.status_code == 200 and "kan inte ångras" in plain.content.decode()
    registration.refresh_from_db()
    assert registration.removed_at is None


def test_a_confirmed_removal_keeps_the_time_and_no_longer_counts(
    as_admin,
    admin_user,
    umea,  # noqa: F811
):
    event = umea["event"]
    kept, removed = _registered(event, umea["people"][:2])
    response = as_admin.post(url("event_unregister", event.pk, removed.pk), {"confirm": "1"})
    assert response.status_code == 302
    removed.refresh_from_db()
    assert removed.removed_at is not None and removed.removed_by == admin_user
    assert list(Registration.objects.current()) == [kept]
    row = screens.events_for_list(TrainingEvent.objects.filter(pk=event.pk)).get()
    assert row.registered == 1  # type: ignore[attr-defined]
    assert "1 anmäld av minst" in as_admin.get(url("event", event.pk)).content.decode()
    # Attendance saved afterwards leaves the removed registration alone.
    as_admin.post(url("event_attendance", event.pk), {"attended": [kept.pk, removed.pk]})
    removed.refresh_from_db()
    assert removed.attended is None
    # Removed twice: the page is gone.
    again = as_admin.post(url("event_unregister", event.pk, removed.pk), {"confirm": "1"})
    assert again.status_code == 404


def test_a_removed_person_can_register_again(as_admin, umea):  # noqa: F811
    event = umea["event"]
    registration = _registered(event, umea["people"][:1])[0]
    as_admin.post(url("event_unregister", event.pk, registration.pk), {"confirm": "1"})
    person = registration.support_person
    response = as_admin.post(url("event_register", event.pk), {"people": [person.pk]})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.removed_at is None and Registration.objects.count() == 1


def test_a_held_events_registration_cannot_be_removed(as_admin, umea):  # noqa: F811
    event = umea["event"]
    registration = _registered(event, umea["people"][:1])[0]
    TrainingEvent.objects.filter(pk=event.pk).update(status=TrainingEvent.Status.HELD)
    response = as_admin.post(url("event_unregister", event.pk, registration.pk), {"confirm": "1"})
    assert "Bara ett planerat tillfälles anmälningar kan tas bort." in response.content.decode()
    registration.refresh_from_db()
    assert registration.removed_at is None
