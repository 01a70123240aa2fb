"""Training events (register, attendance, cancel, held), the attendance share against the
active pool, and the collaboration log."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from supportpersons.models import (
    CollaborationActivity,
    RecruitmentStep,
    Registration,
    TrainingEvent,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(name, *args):
    return reverse(f"supportpersons:{name}", args=args)


@pytest.fixture
def umea(db):
    programme = factories.patient_committee_programme()
    locality = factories.LocalityFactory(name="Umeå")
    people = [
        factories.SupportPersonFactory(programme=programme, locality=locality) for _ in range(3)
    ]
    elsewhere = factories.SupportPersonFactory(
        programme=programme, locality=factories.LocalityFactory(name="Skellefteå")
    )
    event = factories.TrainingEventFactory(
        programme=programme, locality=locality, on=TODAY(), min_registrations=5
    )
    return {"event": event, "people": people, "elsewhere": elsewhere, "locality": locality}


def test_an_administrator_creates_an_event(as_admin):
    response = as_admin.post(
        url("event_new"),
        {
            "programme": factories.patient_committee_programme().pk,
            "kind": "evening_meeting",
            "title": "Kvällsmöte med Hjärnkoll",
            "locality": factories.LocalityFactory(name="Umeå").pk,
            "on": (TODAY() + dt.timedelta(days=30)).isoformat(),
            "min_registrations": 5,
        },
    )
    assert response.status_code == 302
    assert TrainingEvent.objects.get().status == TrainingEvent.Status.PLANNED


def test_only_persons_of_the_locality_can_be_registered(as_admin, umea):
    event = umea["event"]
    choices = as_admin.get(url("event", event.pk)).context["register_form"].fields["people"]
    assert set(choices.queryset) == set(umea["people"])
    response = as_admin.post(
        url("event_register", event.pk),
        {"people": [umea["people"][0].pk, umea["elsewhere"].pk]},
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()
    as_admin.post(url("event_register", event.pk), {"people": [p.pk for p in umea["people"]]})
    assert event.registrations.count() == 3
    page = as_admin.get(url("event", event.pk)).content.decode()
    assert "3 anmälda av minst 5" in page


def test_attendance_is_marked_in_one_form_and_does_not_mark_the_event_held(as_admin, umea):
    event = umea["event"]
    registrations = [
        factories.RegistrationFactory(event=event, support_person=p) for p in umea["people"]
    ]
    response = as_admin.post(
        url("event_attendance", event.pk),
        {"attended": [registrations[0].pk, registrations[2].pk, "junk"]},
    )
    assert response.status_code == 302
    assert [r.attended for r in Registration.objects.order_by("id")] == [True, False, True]
    event.refresh_from_db()
    # Issue 14: held is its own, explicit step.
    assert event.status == TrainingEvent.Status.PLANNED
    assert as_admin.post(url("event_held", event.pk)).status_code == 302
    event.refresh_from_db()
    assert event.status == TrainingEvent.Status.HELD


def test_attendance_before_the_day_is_refused(as_admin, umea):
    event = umea["event"]
    event.on = TODAY() + dt.timedelta(days=3)
    event.save()
    registration = factories.RegistrationFactory(event=event, support_person=umea["people"][0])
    response = as_admin.post(url("event_attendance", event.pk), {"attended": [registration.pk]})
    assert response.status_code == 200
    assert "inte före" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_an_introduction_attended_is_the_recruitment_step(as_admin, umea, admin_user):
    event = umea["event"]
    event.kind = TrainingEvent.Kind.INTRODUCTION
    event.save()
    registration = factories.RegistrationFactory(event=event, support_person=umea["people"][0])
    as_admin.post(url("event_attendance", event.pk), {"attended": [registration.pk]})
    step = RecruitmentStep.objects.get()
    assert step.step == RecruitmentStep.Step.INTRODUCTION and step.on == event.on


def test_cancelling_needs_a_reason_and_shows_the_count_against_the_minimum(as_admin, umea):
    event = umea["event"]
    factories.RegistrationFactory(event=event, support_person=umea["people"][0])
    refused = as_admin.post(url("event_cancel", event.pk), {"reason": ""})
    assert refused.status_code == 200
    assert "1 anmäld av minst 5" in refused.content.decode()
    as_admin.post(url("event_cancel", event.pk), {"reason": "För få anmälda"})
    event.refresh_from_db()
    assert event.status == TrainingEvent.Status.CANCELLED
    assert event.cancel_reason == "För få anmälda"
    again = as_admin.post(url("event_cancel", event.pk), {"reason": "Igen"})
    assert again.status_code == 200
    assert "Bara ett planerat tillfälle" in again.content.decode()
    held = as_admin.post(url("event_held", event.pk))
    assert held.status_code == 200
    event.refresh_from_db()
    assert event.status == TrainingEvent.Status.CANCELLED


def test_the_event_actions_are_for_administrators_only(as_manager_a, umea):
    event = umea["event"]
    assert as_manager_a.get(url("event", event.pk)).status_code == 403
    assert as_manager_a.post(url("event_held", event.pk)).status_code == 403
    assert as_manager_a.post(url("event_cancel", event.pk), {"reason": "x"}).status_code == 403


def test_a_missing_event_answers_404(as_admin):
    assert as_admin.get(url("event", 999999)).status_code == 404
    assert as_admin.post(url("event_held", 999999)).status_code == 404


def test_the_share_attended_is_against_the_persons_active_on_the_day(as_admin, umea):
    """The seed report: "Av 35 aktiva stödpersoner i Umeå deltog 13 st"."""
    event = umea["event"]
    event.status = TrainingEvent.Status.HELD
    event.save()
    factories.RegistrationFactory(event=event, support_person=umea["people"][0], attended=True)
    factories.RegistrationFactory(event=event, support_person=umea["people"][1], attended=False)
    # Recruited after the event: not active that day.
    factories.SupportPersonFactory(
        programme=event.programme,
        locality=umea["locality"],
        recruited_on=TODAY() + dt.timedelta(days=1),
    )
    response = as_admin.get(
        url("events"),
        {"start": (TODAY() - dt.timedelta(days=30)).isoformat(), "end": TODAY().isoformat()},
    )
    [row] = response.context["per_event"]
    assert (row.registered, row.attended, row.active, row.rate) == (2, 1, 3, 33)
    [place] = response.context["per_locality"]
    assert (place.attendees, place.active) == (1, 3)


@pytest.mark.parametrize(
    "query", [{"start": "2026-13-01", "end": "x"}, {"start": "2026-06-01", "end": "2020-01-01"}]
)
def test_a_bad_period_falls_back_without_an_error_page(as_admin, query):
    response = as_admin.get(url("events"), query)
    assert response.status_code == 200
    assert response.context["period"].errors


@pytest.mark.parametrize("rows", [5, 50])
def test_the_events_list_runs_a_fixed_number_of_queries(
    as_admin, umea, rows, django_assert_num_queries
):
    for i in range(rows):
        event = factories.TrainingEventFactory(
            programme=umea["event"].programme,
            locality=umea["locality"],
            on=TODAY() - dt.timedelta(days=i % 20),
            status=TrainingEvent.Status.HELD,
        )
        factories.RegistrationFactory(event=event, support_person=umea["people"][i % 3])
    with django_assert_num_queries(14):
        as_admin.get(url("events"))


def test_the_collaboration_log_lists_and_records_forums(as_admin):
    programme = factories.patient_committee_programme()
    response = as_admin.post(
        url("collaboration"),
        {
            "programme": programme.pk,
            "on": TODAY().isoformat(),
            "forum": "Regionala stödpersonsgruppen",
            "note": "De fyra norra regionerna",
        },
    )
    assert response.status_code == 302
    assert "Regionala stödpersonsgruppen" in as_admin.get(url("collaboration")).content.decode()
    future = as_admin.post(
        url("collaboration"),
        {"programme": programme.pk, "on": "2999-01-01", "forum": "Framtid"},
    )
    assert future.status_code == 200
    assert CollaborationActivity.objects.count() == 1
