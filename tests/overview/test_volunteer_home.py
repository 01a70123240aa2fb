"""The volunteer's home page, "Mina uppdrag" (issue 16, item 1): only their own, the
patient's name and ward only while the assignment is active, protected identities masked,
training registrations, their own details, the read log and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from audit.models import ReadLogEntry
from clients.models import ProtectedIdentity
from stodperson.dates import add_months
from supportpersons.models import Registration, SupportPerson, TrainingEvent
from tests import factories, volunteers

pytestmark = pytest.mark.django_db

HOME = reverse("overview:volunteer_home")
DETAILS = reverse("supportpersons:volunteer_details")
TODAY = timezone.localdate


def _login(person: SupportPerson) -> HttpClient:
    http = HttpClient()
    http.force_login(person.user)
    return http


def _assign(person: SupportPerson, first: str, last: str, ward: str = "Avdelning 3", **kw):
    patient = factories.ClientFactory(
        unit=volunteers.ward(ward), first_name=first, last_name=last, **kw
    )
    return factories.AssignmentFactory(
        client=patient, support_person=person, started_on=TODAY() - dt.timedelta(days=30)
    )


def _event(person: SupportPerson, **fields) -> TrainingEvent:
    fields.setdefault("on", TODAY() + dt.timedelta(days=10))
    return factories.TrainingEventFactory(
        programme=person.programme, locality=person.locality, **fields
    )


def test_the_start_page_of_a_volunteer_is_their_home():
    person = volunteers.volunteer("vera")
    http = _login(person)
    assert http.get(reverse("home"), follow=True).redirect_chain[-1][0] == HOME
    assert http.get(reverse("overview:my_clients"))["Location"] == HOME


def test_a_personal_assistant_keeps_their_start_page(world, as_support_person):
    assert as_support_person.get(reverse("overview:my_clients")).status_code == 200
    assert as_support_person.get(HOME).status_code == 403


def test_it_shows_only_the_volunteers_own_assignments():
    vera = volunteers.volunteer("vera")
    other = volunteers.volunteer("olof")
    _assign(vera, "Petra", "Patientsson", "Avdelning Norr")
    _assign(other, "Gustav", "Annansson", "Avdelning Syd")
    page = _login(vera).get(HOME).content.decode()
    assert "Petra Patientsson" in page and "Avdelning Norr" in page
    assert "Annansson" not in page and "Avdelning Syd" not in page


def test_an_ended_assignment_keeps_its_dates_but_not_the_name_or_ward():
    vera = volunteers.volunteer("vera")
    ended = _assign(vera, "Petra", "Patientsson", "Avdelning Norr")
    ended.ended_on = TODAY() - dt.timedelta(days=1)
    ended.end_reason = "care_ended"
    ended.save()
    response = _login(vera).get(HOME)
    page = response.content.decode()
    assert "Patientsson" not in page and "Avdelning Norr" not in page
    assert 'data-testid="earlier-assignments"' in page
    assert not ReadLogEntry.objects.filter(subject=ReadLogEntry.Subject.CLIENT).exists()


def test_a_protected_identity_is_masked_and_its_ward_left_out():
    vera = volunteers.volunteer("vera")
    a = _assign(
        vera,
        "Hemlig",
        "Hemligsson",
        "Avdelning Hemlig",
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
    )
    page = _login(vera).get(HOME).content.decode()
    assert "Hemligsson" not in page and "Avdelning Hemlig" not in page
    assert f"(nr {a.client_id})" in page
    entry = ReadLogEntry.objects.get(subject=ReadLogEntry.Subject.CLIENT)
    assert entry.subject_id == a.client_id and entry.protected


def test_a_named_reader_sees_the_protected_name():
    vera = volunteers.volunteer("vera")
    a = _assign(
        vera, "Hemlig", "Hemligsson", protected_identity=ProtectedIdentity.CONFIDENTIALITY_MARK
    )
    a.client.identity_readers.add(vera.user)
    assert "Hemlig Hemligsson" in _login(vera).get(HOME).content.decode()


def test_everything_shown_is_in_the_read_log():
    vera = volunteers.volunteer("vera")
    a = _assign(vera, "Petra", "Patientsson")
    _login(vera).get(HOME)
    logged = set(ReadLogEntry.objects.filter(user=vera.user).values_list("subject", "subject_id"))
    assert logged == {
        (ReadLogEntry.Subject.CLIENT, a.client_id),
        (ReadLogEntry.Subject.SUPPORT_PERSON, vera.pk),
    }


def test_the_page_costs_the_same_whatever_the_number_of_rows(django_assert_num_queries):
    vera = volunteers.volunteer("vera")
    _assign(vera, "Petra", "Patientsson")
    _event(vera)
    http = _login(vera)
    http.get(HOME)  # the session and the caches
    # The session, the user and the role checks, the volunteer and the undertaking, the
    # read path (overview/volunteer.py), the menu's flag badge and the read log.
    with django_assert_num_queries(QUERIES):
        assert http.get(HOME).status_code == 200
    for n in range(4):
        _assign(vera, "Patient", f"Nummer{n}")
        _event(vera, title=f"Kvällsmöte {n}")
    with django_assert_num_queries(QUERIES):
        assert http.get(HOME).status_code == 200


# The offers waiting add one (assignments.offer_views.volunteer_offers_context), the
# contacts to report two (assignments.contact_screens.contact_todo_context: the
# assignments, and their reports with the count of contacts).
QUERIES = 19


@pytest.mark.parametrize(
    ("days_left", "shown"),
    [
        (61, None),
        (60, "om 60 dagar"),
        (30, "om 30 dagar"),
        (7, "om 7 dagar"),
        (0, "slutade gälla"),
    ],
)
def test_the_volunteer_is_warned_before_the_check_runs_out(days_left, shown):
    vera = volunteers.volunteer("vera")
    months = vera.programme.background_check_valid_months
    vera.recruitment_steps.update(on=add_months(TODAY() + dt.timedelta(days=days_left), -months))
    page = _login(vera).get(HOME).content.decode()
    if shown is None:
        assert 'data-testid="check-warning"' not in page
    else:
        assert 'data-testid="check-warning"' in page and shown in page


# --- Training ----------------------------------------------------------------------------


def test_the_volunteer_registers_and_withdraws_themself():
    vera = volunteers.volunteer("vera")
    event = _event(vera, title="Introduktion för nya")
    http = _login(vera)
    assert "Introduktion för nya" in http.get(HOME).content.decode()
    register = reverse("supportpersons:volunteer_event_register", args=[event.pk])
    assert http.post(register)["Location"] == HOME
    registration = Registration.objects.get(event=event, support_person=vera)
    assert registration.removed_at is None
    unregister = reverse("supportpersons:volunteer_event_unregister", args=[event.pk])
    assert http.post(unregister)["Location"] == HOME
    registration.refresh_from_db()
    assert registration.removed_at is not None and registration.removed_by == vera.user
    assert http.post(unregister).status_code == 404


def test_events_of_another_locality_or_in_the_past_are_out_of_reach():
    vera = volunteers.volunteer("vera", locality=factories.LocalityFactory(name="Umeå"))
    elsewhere = factories.TrainingEventFactory(
        programme=vera.programme,
        locality=factories.LocalityFactory(name="Lycksele"),
        on=TODAY() + dt.timedelta(days=3),
    )
    past = _event(vera, on=TODAY() - dt.timedelta(days=1))
    http = _login(vera)
    for event in (elsewhere, past):
        url = reverse("supportpersons:volunteer_event_register", args=[event.pk])
        assert http.post(url).status_code == 404
    assert not Registration.objects.exists()


# --- Their own details --------------------------------------------------------------------


def test_the_volunteer_keeps_their_details_up_to_date_with_history():
    vera = volunteers.volunteer("vera", phone="070-111 11 11")
    http = _login(vera)
    form = http.get(DETAILS).context["form"]
    version = form.initial["version"]
    bad = http.post(DETAILS, {"phone": "070", "email": "inte-en-adress", "version": version})
    assert bad.status_code == 200 and 'data-testid="error-summary"' in bad.content.decode()
    response = http.post(
        DETAILS, {"phone": "070-222 22 22", "email": "vera@example.se", "version": version}
    )
    assert response["Location"] == HOME
    vera.refresh_from_db()
    assert vera.phone == "070-222 22 22"
    assert vera.history.latest().history_user == vera.user


def test_a_change_made_meanwhile_is_not_overwritten():
    vera = volunteers.volunteer("vera", phone="070-111 11 11")
    http = _login(vera)
    version = http.get(DETAILS).context["form"].initial["version"]
    SupportPerson.objects.get(pk=vera.pk).save()  # the office saves in between
    response = http.post(
        DETAILS, {"phone": "070-333 33 33", "email": "vera@example.se", "version": version}
    )
    assert response.status_code == 200
    assert "Någon annan" in response.content.decode()
    vera.refresh_from_db()
    assert vera.phone == "070-111 11 11"
