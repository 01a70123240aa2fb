"""Requests and appointments: the administrator's queue on the working-day clock
(domain.md rule 5), pausing, withdrawing, appointing and releasing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services
from assignments.matching import rank_candidates
from assignments.models import Assignment, RequestPause, SupportRequest
from assignments.request_views import queue_row
from clients.models import Client, Gender, Programme
from supportpersons.models import RecruitmentStep, SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = timezone.localdate


def url(name, *args):
    return reverse(f"assignments:{name}", args=args)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


@pytest.fixture
def pc(db):
    """The patient committee in Skellefteå: a unit, a patient, and a pool of two."""
    programme = factories.patient_committee_programme()
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    unit = factories.UnitFactory(
        programme=programme, name="Psykiatri Skellefteå", locality=skelleftea
    )
    patient = factories.ClientFactory(
        unit=unit, first_name="Pia", last_name="Patient", legal_basis="lpt"
    )
    woman = factories.SupportPersonFactory(
        programme=programme, locality=skelleftea, first_name="Karin", last_name="Kvist"
    )
    man = factories.SupportPersonFactory(
        programme=programme,
        locality=skelleftea,
        gender=Gender.MAN,
        first_name="Mats",
        last_name="Man",
    )
    return {"programme": programme, "unit": unit, "patient": patient, "woman": woman, "man": man}


def _request(client, received: dt.date, **kwargs) -> SupportRequest:
    return factories.RequestFactory(client=client, received_at=at(received), **kwargs)


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_admin", 200), ("as_manager_a", 403), ("as_support_person", 403)],
)
@pytest.mark.parametrize("name", ["requests", "request_new"])
def test_the_request_pages_are_for_administrators(request, world, persona, status, name):
    assert request.getfixturevalue(persona).get(url(name)).status_code == status


def test_a_manager_cannot_open_or_act_on_a_request(as_manager_a, world):
    req = factories.RequestFactory(client=world.client_a2)
    assert as_manager_a.get(url("request", req.pk)).status_code == 403
    response = as_manager_a.post(
        url("request_pause", req.pk), {"started_on": TODAY().isoformat(), "reason": "x"}
    )
    assert response.status_code == 403
    assert not RequestPause.objects.exists()


def test_a_missing_or_malformed_request_answers_404(as_admin):
    assert as_admin.get(url("request", 999999)).status_code == 404
    assert as_admin.get("/begaran/abc/").status_code == 404
    assert as_admin.post(url("request_withdraw", 999999), {}).status_code == 404


def test_pausing_with_a_get_is_not_allowed(as_admin, pc):
    req = _request(pc["patient"], TODAY())
    assert as_admin.get(url("request_pause", req.pk)).status_code == 405


# --- Registering ----------------------------------------------------------------------------


def test_an_administrator_registers_a_request_for_a_client_in_the_register(as_admin, pc):
    response = as_admin.post(
        url("request_new"),
        {
            "client": pc["patient"].pk,
            "received_at": "2026-06-18T10:00",
            "source": "patient",
            "wished_gender": "man",
        },
    )
    req = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("request", req.pk)
    assert req.received_at == at(dt.date(2026, 6, 18))
    assert req.registered_by.username == "admin"
    assert req.wished_gender == "man"


def test_a_request_for_a_new_patient_creates_the_client_in_the_same_step(as_admin, pc):
    response = as_admin.post(
        url("request_new"),
        {
            "new_unit": pc["unit"].pk,
            "new_first_name": "Nils",
            "new_last_name": "Ny",
            "new_personnummer": "199001010017",
            "new_legal_basis": "lrv",
            "received_at": "2026-06-18T10:00",
            "source": "ward_staff",
        },
    )
    assert response.status_code == 302
    client = Client.objects.get(last_name="Ny")
    assert client.personnummer == "19900101-0017"
    assert client.legal_basis == "lrv"
    assert client.started_on == dt.date(2026, 6, 18)
    assert SupportRequest.objects.get().client == client


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_personnummer": "19900101-0018"}, "är inte ett giltigt"),
        ({"new_last_name": ""}, "Behövs för en ny klient"),
        ({"received_at": "2999-01-01T10:00"}, "kan inte vara i framtiden"),
        ({"received_at": "2026-02-30T10:00"}, "giltig"),
    ],
)
def test_a_bad_new_patient_or_time_saves_nothing(as_admin, pc, data, message):
    form = {
        "new_unit": pc["unit"].pk,
        "new_first_name": "Nils",
        "new_last_name": "Ny",
        "received_at": "2026-06-18T10:00",
        "source": "patient",
        **data,
    }
    response = as_admin.post(url("request_new"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupportRequest.objects.exists()
    assert not Client.objects.filter(last_name="Ny").exists()


def test_a_client_and_a_new_patient_at_once_is_refused(as_admin, pc):
    response = as_admin.post(
        url("request_new"),
        {
            "client": pc["patient"].pk,
            "new_first_name": "Nils",
            "received_at": "2026-06-18T10:00",
            "source": "patient",
        },
    )
    assert response.status_code == 200
    assert not SupportRequest.objects.exists()


def test_a_request_posted_twice_is_registered_once(as_admin, pc):
    data = {"client": pc["patient"].pk, "received_at": "2026-06-18T10:00", "source": "patient"}
    as_admin.post(url("request_new"), data)
    again = as_admin.post(url("request_new"), data)
    assert again.status_code == 200
    assert "har redan en öppen begäran" in again.content.decode()
    assert SupportRequest.objects.count() == 1


# --- The queue on the working-day clock -------------------------------------------------------


def test_a_request_on_the_thursday_before_midsummer_is_due_the_next_wednesday(as_admin, pc):
    _request(pc["patient"], dt.date(2026, 6, 18))
    page = as_admin.get(url("requests"))
    row = page.context["page"][0]
    assert row.deadline == dt.date(2026, 6, 24)
    assert 'datetime="2026-06-24"' in page.content.decode()


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.date(2026, 6, 18), "running"),
        (dt.date(2026, 6, 23), "running"),
        (dt.date(2026, 6, 24), "due_today"),
        (dt.date(2026, 6, 25), "late"),
    ],
)
def test_the_queue_row_tells_due_today_and_late(pc, today, state):
    req = _request(pc["patient"], dt.date(2026, 6, 18))
    row = queue_row(req, today)
    shown = "late" if row.is_late else "due_today" if row.is_due_today else "running"
    assert shown == state
    if today == dt.date(2026, 6, 23):
        assert row.days_left == 1
    if state == "late":
        assert row.days_late == 1


def test_a_paused_request_has_no_deadline_until_the_clock_runs_again(pc):
    req = _request(pc["patient"], dt.date(2026, 6, 18))
    factories.RequestPauseFactory(request=req, started_on=dt.date(2026, 6, 22))
    row = queue_row(SupportRequest.objects.get(pk=req.pk), dt.date(2026, 6, 30))
    assert row.is_paused and row.deadline is None and not row.is_late
    RequestPause.objects.update(ended_on=dt.date(2026, 6, 29))
    row = queue_row(SupportRequest.objects.get(pk=req.pk), dt.date(2026, 6, 30))
    assert not row.is_paused
    assert row.deadline == dt.date(2026, 7, 1)  # 22-26 June did not count


def test_the_queue_is_sorted_by_deadline_and_leaves_out_answered_and_withdrawn(as_admin, pc):
    other = factories.ClientFactory(unit=pc["unit"])
    third = factories.ClientFactory(unit=pc["unit"])
    gone = factories.ClientFactory(unit=pc["unit"])
    later = _request(pc["patient"], dt.date(2026, 6, 18))
    earlier = _request(other, dt.date(2026, 6, 10))
    _request(third, dt.date(2026, 6, 1), withdrawn_at=at(dt.date(2026, 6, 2)))
    answered = _request(gone, dt.date(2026, 6, 1))
    factories.AssignmentFactory(client=gone, support_person=pc["woman"], request=answered)
    rows = as_admin.get(url("requests")).context["page"].object_list
    assert [row.request for row in rows] == [earlier, later]


def _many_requests(pc, count):
    for i in range(count):
        client = factories.ClientFactory(unit=pc["unit"])
        req = _request(client, TODAY() - dt.timedelta(days=i % 9))
        factories.RequestPauseFactory(request=req, started_on=req.received_on)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_queue_runs_a_fixed_number_of_queries(as_admin, pc, rows, django_assert_num_queries):
    _many_requests(pc, rows)
    # 11 + the read log's one INSERT + the localities of the filter (test_request_list.py
    # pins each filter).
    with django_assert_num_queries(13):
        as_admin.get(url("requests"))


# --- Pause, resume, withdraw ---------------------------------------------------------------


def test_the_clock_is_paused_and_resumed_with_a_reason(as_admin, pc):
    req = _request(pc["patient"], TODAY() - dt.timedelta(days=2))
    reason = "Patienten kan inte ta ställning på grund av sitt hälsotillstånd."
    response = as_admin.post(
        url("request_pause", req.pk), {"started_on": TODAY().isoformat(), "reason": reason}
    )
    assert response.status_code == 302
    pause = RequestPause.objects.get()
    assert pause.reason == reason and pause.ended_on is None
    twice = as_admin.post(
        url("request_pause", req.pk), {"started_on": TODAY().isoformat(), "reason": reason}
    )
    assert "redan pausad" in twice.content.decode()
    as_admin.post(url("request_resume", req.pk), {"resumed_on": TODAY().isoformat()})
    pause.refresh_from_db()
    assert pause.ended_on == TODAY()
    not_paused = as_admin.post(url("request_resume", req.pk), {"resumed_on": TODAY().isoformat()})
    assert "är inte pausad" in not_paused.content.decode()


def test_a_pause_before_the_request_arrived_is_refused(as_admin, pc):
    req = _request(pc["patient"], TODAY())
    yesterday = (TODAY() - dt.timedelta(days=1)).isoformat()
    response = as_admin.post(url("request_pause", req.pk), {"started_on": yesterday, "reason": "x"})
    assert response.status_code == 200
    assert not RequestPause.objects.exists()


def test_a_withdrawn_request_leaves_the_queue_and_cannot_be_appointed(as_admin, pc):
    req = _request(pc["patient"], TODAY() - dt.timedelta(days=1))
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    confirmed = {
        "withdrawal_kind": "withdrawn_by_patient",
        "withdrawn_at": now,
        "withdrawal_reason": "Patienten tackar nej",
        "confirm": "1",
    }
    response = as_admin.post(url("request_withdraw", req.pk), confirmed)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.withdrawn_at is not None
    assert as_admin.get(url("requests")).context["page"].paginator.count == 0
    appoint = as_admin.get(url("request_appoint", req.pk))
    assert appoint.status_code == 302
    again = as_admin.post(url("request_withdraw", req.pk), confirmed)
    assert "har återkallats" in again.content.decode()


# --- Appointing -------------------------------------------------------------------------------


def test_the_candidates_follow_the_wishes_of_the_request(as_admin, pc):
    req = _request(pc["patient"], TODAY(), wished_gender=Gender.MAN)
    candidates = as_admin.get(url("request_appoint", req.pk)).context["candidates"]
    assert candidates[0].person == pc["man"]


def test_training_done_counts_in_the_ranking(pc):
    RecruitmentStep.objects.create(
        support_person=pc["man"], step=RecruitmentStep.Step.INTRODUCTION, on=TODAY()
    )
    ranked = rank_candidates(pc["patient"])
    assert ranked[0].person == pc["man"]
    assert "Introduktionsutbildning gjord" in ranked[0].reasons
    assert "Ingen introduktionsutbildning registrerad" in ranked[1].warnings


def test_appointing_records_who_decided_and_when_and_answers_the_request(as_admin, pc):
    req = _request(pc["patient"], TODAY())
    response = as_admin.post(
        url("request_appoint", req.pk),
        {"support_person": pc["woman"].pk, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(request=req)
    assert assignment.support_person == pc["woman"]
    assert assignment.decided_by.username == "admin"
    assert assignment.decided_at is not None
    assert not SupportRequest.objects.open().exists()
    page = as_admin.get(url("request", req.pk)).content.decode()
    assert "Förordnad" in page or "förordnad" in page


def test_an_appointment_posted_twice_is_saved_once(as_admin, pc):
    req = _request(pc["patient"], TODAY())
    data = {"support_person": pc["woman"].pk, "started_on": TODAY().isoformat()}
    as_admin.post(url("request_appoint", req.pk), data)
    again = as_admin.post(url("request_appoint", req.pk), data)
    assert again.status_code == 302
    assert Assignment.objects.filter(client=pc["patient"]).count() == 1


def test_a_late_appointment_asks_for_the_reason_and_keeps_it_for_the_report(as_admin, pc):
    req = _request(pc["patient"], dt.date(2026, 6, 18))
    data = {"support_person": pc["man"].pk, "started_on": "2026-06-25"}
    refused = as_admin.post(url("request_appoint", req.pk), data)
    assert refused.status_code == 200
    assert "efter sin tidsgräns" in refused.content.decode()
    assert not Assignment.objects.exists()
    as_admin.post(
        url("request_appoint", req.pk),
        {**data, "late_reason": "Patienten kunde inte ta ställning", "delay_excused": "on"},
    )
    req.refresh_from_db()
    assert req.late_reason == "Patienten kunde inte ta ställning"
    assert req.delay_excused is True
    assert req.assignment.started_on == dt.date(2026, 6, 25)


def test_an_appointment_in_time_needs_no_reason(pc, admin_user):
    req = _request(pc["patient"], dt.date(2026, 6, 18))
    services.request_appoint(
        request=req,
        support_person=pc["man"],
        started_on=dt.date(2026, 6, 24),
        late_reason="ignored",
        by=admin_user,
    )
    req.refresh_from_db()
    assert req.late_reason == ""


def test_appointing_while_paused_ends_the_pause(pc, admin_user):
    req = _request(pc["patient"], dt.date(2026, 6, 18))
    factories.RequestPauseFactory(request=req, started_on=dt.date(2026, 6, 22))
    services.request_appoint(
        request=req, support_person=pc["man"], started_on=dt.date(2026, 7, 1), by=admin_user
    )
    assert RequestPause.objects.get().ended_on == dt.date(2026, 7, 1)


def test_an_applicant_cannot_be_appointed_and_the_reason_is_shown(as_admin, pc):
    applicant = factories.SupportPersonFactory(
        programme=pc["programme"],
        locality=pc["unit"].locality,
        status=SupportPerson.Status.APPLICANT,
        recruited_on=None,
        first_name="Sara",
        last_name="Sökande",
    )
    req = _request(pc["patient"], TODAY())
    response = as_admin.post(
        url("request_appoint", req.pk),
        {"support_person": applicant.pk, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert "Sara Sökande kan inte tilldelas" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_person_of_another_programme_is_not_a_valid_choice(as_admin, pc, world):
    req = _request(pc["patient"], TODAY())
    response = as_admin.post(
        url("request_appoint", req.pk),
        {"support_person": world.sp_without_client.pk, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert not Assignment.objects.filter(client=pc["patient"]).exists()


# --- Releasing (entledigande) -------------------------------------------------------------------


def test_an_administrator_releases_an_assignment_with_a_date_and_reason(as_admin, pc):
    req = _request(pc["patient"], TODAY() - dt.timedelta(days=10))
    assignment = factories.AssignmentFactory(
        client=pc["patient"],
        support_person=pc["woman"],
        request=req,
        started_on=TODAY() - dt.timedelta(days=5),
    )
    response = as_admin.post(
        url("release", assignment.pk),
        {
            "ended_on": TODAY().isoformat(),
            "reason": Assignment.EndReason.CARE_ENDED,
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("request", req.pk)
    assignment.refresh_from_db()
    assert assignment.ended_on == TODAY()
    assert assignment.end_reason == Assignment.EndReason.CARE_ENDED
    again = as_admin.post(
        url("release", assignment.pk),
        {
            "ended_on": TODAY().isoformat(),
            "reason": Assignment.EndReason.CARE_ENDED,
            "confirm": "1",
        },
    )
    assert again.status_code == 200
    assert "redan avslutats" in again.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_manager_a", 302), ("as_manager_b", 404), ("as_support_person", 403)],
)
def test_only_the_clients_manager_or_an_administrator_may_release(request, world, persona, status):
    http = request.getfixturevalue(persona)
    response = http.post(
        url("release", world.assignment_a.pk),
        {
            "ended_on": TODAY().isoformat(),
            "reason": Assignment.EndReason.CLIENT_WISH,
            "confirm": "1",
        },
    )
    assert response.status_code == status
    world.assignment_a.refresh_from_db()
    assert (world.assignment_a.ended_on is not None) == (status == 302)


def test_a_release_in_the_future_is_refused(as_admin, world):
    future = (TODAY() + dt.timedelta(days=2)).isoformat()
    response = as_admin.post(
        url("release", world.assignment_a.pk),
        {"ended_on": future, "reason": "client_wish", "confirm": "1"},
    )
    assert response.status_code == 200
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.ended_on is None


def test_the_programme_setting_moves_the_deadline(pc):
    Programme.objects.filter(pk=pc["programme"].pk).update(request_target_working_days=1)
    req = SupportRequest.objects.select_related("client__unit__programme").get(
        pk=_request(pc["patient"], dt.date(2026, 6, 18)).pk
    )
    assert queue_row(req, dt.date(2026, 6, 18)).deadline == dt.date(2026, 6, 22)
