"""The end of compulsory care and the four weeks after (LPT 30 §, LRV 26 §): recorded by the
office, released at once without both wishes, released by the daily job at the end of the
extension with both, and a reminder a week before (assignments/care_end.py,
flags/care_checks.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assignments.care_end import care_end_record
from assignments.models import Assignment, CareEnd
from flags import checks
from flags.care_checks import (
    check_extension_ending,
    release_ended_extensions,
    send_extension_reminders,
)
from flags.models import Flag
from stodperson.concurrency import version_of
from stodperson.errors import ServiceError
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Flag.Kind


def TODAY() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


@pytest.fixture
def pc(world, manager_a):
    """A patient-committee unit managed by manager A, a patient in it with an assignment
    since 60 days ago, and the support person with a user and an address."""
    programme = factories.patient_committee_programme()
    unit = factories.UnitFactory(programme=programme, name="Psykiatri Umeå", managers=[manager_a])
    patient = factories.ClientFactory(
        unit=unit, first_name="Pia", last_name="Patient", legal_basis="lpt"
    )
    user = factories.UserFactory(username="volontar", email="volontar@example.org")
    person = factories.SupportPersonFactory(programme=programme, user=user)
    assignment = factories.AssignmentFactory(
        client=patient, support_person=person, started_on=days_ago(60)
    )
    return {"unit": unit, "patient": patient, "person": person, "assignment": assignment}


def record(pc, admin_user, *, ended_on, patient=True, volunteer=True, **kwargs) -> CareEnd:
    patient_row = type(pc["patient"]).objects.get(pk=pc["patient"].pk)
    return care_end_record(
        assignment=pc["assignment"],
        ended_on=ended_on,
        learnt_from=kwargs.pop("learnt_from", CareEnd.Source.WARD),
        patient_wants_extension=patient,
        support_person_wants_extension=volunteer,
        version=version_of(patient_row),
        by=admin_user,
        **kwargs,
    )


def extended(pc, admin_user, care_ended_on: dt.date) -> CareEnd:
    """A running extension whose care ended on that day (written as the service would,
    without releasing what may already be due: the job's tests choose the day)."""
    client = pc["patient"]
    client.compulsory_care_ended_on = care_ended_on
    client.save(update_fields=["compulsory_care_ended_on"])
    return CareEnd.objects.create(
        assignment=pc["assignment"],
        learnt_from=CareEnd.Source.WARD,
        patient_wants_extension=True,
        support_person_wants_extension=True,
        recorded_by=admin_user,
    )


def assignment(pc) -> Assignment:
    return Assignment.objects.get(pk=pc["assignment"].pk)


# --- Recording ------------------------------------------------------------------------------


def test_without_both_wishes_the_assignment_is_released_at_once_on_the_day_care_ended(
    pc, admin_user
):
    care_end = record(pc, admin_user, ended_on=days_ago(3), patient=True, volunteer=False)
    released = assignment(pc)
    assert released.ended_on == days_ago(3)
    assert released.end_reason == Assignment.EndReason.CARE_ENDED
    assert not care_end.is_extended
    pc["patient"].refresh_from_db()
    assert pc["patient"].compulsory_care_ended_on == days_ago(3)
    # In the history: the record and the release.
    assert care_end.history.count() == 1
    assert released.history.first().end_reason == Assignment.EndReason.CARE_ENDED


def test_with_both_wishes_the_assignment_continues(pc, admin_user):
    care_end = record(pc, admin_user, ended_on=days_ago(3))
    assert care_end.is_extended
    assert assignment(pc).ended_on is None


def test_care_cannot_have_ended_in_the_future_or_before_the_assignment_began(pc, admin_user):
    with pytest.raises(ServiceError, match="framtiden"):
        record(pc, admin_user, ended_on=TODAY() + dt.timedelta(days=1))
    with pytest.raises(ServiceError):
        record(pc, admin_user, ended_on=days_ago(61))
    assert not CareEnd.objects.exists()
    assert assignment(pc).ended_on is None
    pc["patient"].refresh_from_db()
    assert pc["patient"].compulsory_care_ended_on is None


def test_a_source_of_other_needs_a_note(pc, admin_user):
    with pytest.raises(ServiceError, match="var kontoret fick veta"):
        record(pc, admin_user, ended_on=days_ago(1), learnt_from=CareEnd.Source.OTHER)
    care_end = record(
        pc, admin_user, ended_on=days_ago(1), learnt_from="other", learnt_note="Tingsrätten"
    )
    assert care_end.learnt_note == "Tingsrätten"


def test_it_is_only_for_the_patient_committee(world, admin_user):
    with pytest.raises(ServiceError, match="patientnämnden"):
        care_end_record(
            assignment=world.assignment_a,
            ended_on=days_ago(1),
            learnt_from="ward",
            patient_wants_extension=False,
            support_person_wants_extension=False,
            version=version_of(world.client_a),
            by=admin_user,
        )
    assert Assignment.objects.get(pk=world.assignment_a.pk).ended_on is None


def test_a_changed_date_moves_the_release_day_and_the_reminder(pc, admin_user):
    record(pc, admin_user, ended_on=days_ago(21))  # released in 7 days: reminded today
    assert send_extension_reminders(TODAY()) == 1
    care_end = record(pc, admin_user, ended_on=days_ago(10))  # corrected: in 18 days
    assert care_end.reminded_at is None
    assert assignment(pc).ended_on is None
    check_extension_ending(TODAY())
    assert not Flag.objects.open().filter(kind=Kind.EXTENSION_ENDING).exists()
    # Corrected again, to a day more than four weeks ago: the extension is over already.
    record(pc, admin_user, ended_on=days_ago(30))
    released = assignment(pc)
    assert released.ended_on == days_ago(2)
    assert released.end_reason == Assignment.EndReason.EXTENSION_ENDED


def test_a_wish_withdrawn_during_the_extension_ends_it_today(pc, admin_user):
    record(pc, admin_user, ended_on=days_ago(10))
    record(pc, admin_user, ended_on=days_ago(10), patient=False)
    released = assignment(pc)
    assert released.ended_on == TODAY()
    assert released.end_reason == Assignment.EndReason.EXTENSION_ENDED


def test_a_stale_form_saves_nothing(pc, admin_user):
    stale = version_of(pc["patient"])
    pc["patient"].save()
    with pytest.raises(ServiceError, match="annan har ändrat"):
        care_end_record(
            assignment=pc["assignment"],
            ended_on=days_ago(1),
            learnt_from="ward",
            patient_wants_extension=False,
            support_person_wants_extension=False,
            version=stale,
            by=admin_user,
        )
    assert assignment(pc).ended_on is None and not CareEnd.objects.exists()


# --- The daily job: released at the end of the extension -------------------------------------


def test_the_job_releases_on_the_release_day_and_not_the_day_before(pc, admin_user):
    # Care ended 28 days ago: the release day (28 days after) is today. On the day before
    # (day 27 after care ended, the 28th day counting that day) the assignment runs on.
    extended(pc, admin_user, days_ago(28))
    assert release_ended_extensions(days_ago(1)) == []
    assert assignment(pc).ended_on is None
    released = release_ended_extensions(TODAY())
    assert [a.pk for a in released] == [pc["assignment"].pk]
    ended = assignment(pc)
    assert ended.ended_on == TODAY()
    assert ended.end_reason == Assignment.EndReason.EXTENSION_ENDED
    assert not ended.is_active_on(TODAY()) and ended.is_active_on(days_ago(1))


def test_a_late_run_releases_on_the_release_day_not_on_the_day_it_runs(pc, admin_user):
    extended(pc, admin_user, days_ago(31))
    release_ended_extensions(TODAY())
    assert assignment(pc).ended_on == days_ago(3)


def test_two_runs_release_once(pc, admin_user):
    extended(pc, admin_user, days_ago(28))
    assert len(release_ended_extensions(TODAY())) == 1
    assert release_ended_extensions(TODAY()) == []
    assert assignment(pc).history.filter(end_reason="extension_ended").count() == 1


def test_a_claimed_release_is_left_to_the_run_that_claimed_it(pc, admin_user):
    care_end = extended(pc, admin_user, days_ago(28))
    CareEnd.objects.filter(pk=care_end.pk).update(release_claimed_at=timezone.now())
    assert release_ended_extensions(TODAY()) == []
    assert assignment(pc).ended_on is None


def test_the_programmes_own_number_of_days_counts(pc, admin_user):
    programme = pc["unit"].programme
    programme.care_ended_release_days = 14
    programme.save()
    extended(pc, admin_user, days_ago(14))
    release_ended_extensions(TODAY())
    assert assignment(pc).ended_on == TODAY()


def test_the_care_ended_flag_agrees_with_the_job(pc, admin_user):
    # An extension past its day: the check releases it first, and raises no flag.
    extended(pc, admin_user, days_ago(29))
    checks.check_care_ended(TODAY())
    assert assignment(pc).end_reason == Assignment.EndReason.EXTENSION_ENDED
    assert not Flag.objects.open().filter(kind=Kind.CARE_ENDED).exists()
    # One without a record of the wishes, open past the four weeks: flagged.
    other = factories.AssignmentFactory(
        client=factories.ClientFactory(
            unit=pc["unit"], compulsory_care_ended_on=days_ago(29), legal_basis="lrv"
        ),
        started_on=days_ago(90),
    )
    checks.check_care_ended(TODAY())
    assert list(
        Flag.objects.open().filter(kind=Kind.CARE_ENDED).values_list("target_id", flat=True)
    ) == [other.pk]


def test_the_job_reads_a_fixed_number_of_queries(pc, admin_user, django_assert_max_num_queries):
    extended(pc, admin_user, days_ago(40))
    for _ in range(5):
        client = factories.ClientFactory(unit=pc["unit"], compulsory_care_ended_on=days_ago(40))
        a = factories.AssignmentFactory(client=client, started_on=days_ago(60))
        CareEnd.objects.create(
            assignment=a,
            learnt_from="ward",
            patient_wants_extension=True,
            support_person_wants_extension=True,
            recorded_by=admin_user,
        )
    # Nothing due: two queries (the programmes, the due care ends), whatever the number.
    with django_assert_max_num_queries(2):
        assert release_ended_extensions(days_ago(20)) == []


# --- The reminder a week before ----------------------------------------------------------------


def test_the_reminder_comes_exactly_seven_days_before(pc, admin_user):
    extended(pc, admin_user, days_ago(20))  # released in 8 days
    check_extension_ending(TODAY())
    assert not Flag.objects.open().filter(kind=Kind.EXTENSION_ENDING).exists()
    assert mail.outbox == []
    check_extension_ending(TODAY() + dt.timedelta(days=1))  # now 7 days before
    flag = Flag.objects.open().get(kind=Kind.EXTENSION_ENDING)
    assert flag.target_id == pc["assignment"].pk and flag.client_id == pc["patient"].pk
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["volontar@example.org"]
    text = message.subject + message.body
    assert "7 dagar" in text
    # No patient data in the mail.
    for word in ("Pia", "Patient", "Psykiatri", "LPT"):
        assert word not in text


def test_the_reminder_is_sent_once_and_the_flag_closes_with_the_release(pc, admin_user):
    extended(pc, admin_user, days_ago(21))
    check_extension_ending(TODAY())
    check_extension_ending(TODAY())
    assert len(mail.outbox) == 1
    assert Flag.objects.filter(kind=Kind.EXTENSION_ENDING).count() == 1
    # A week later (the care end moved back a week, as the clock cannot be moved here): the
    # release day has come, the job releases, the flag closes.
    client = pc["patient"]
    client.compulsory_care_ended_on = days_ago(28)
    client.save(update_fields=["compulsory_care_ended_on"])
    check_extension_ending(TODAY())
    assert assignment(pc).end_reason == Assignment.EndReason.EXTENSION_ENDED
    assert not Flag.objects.open().filter(kind=Kind.EXTENSION_ENDING).exists()


def test_no_mail_to_a_support_person_without_a_user(pc, admin_user):
    person = pc["person"]
    person.user = None
    person.save()
    extended(pc, admin_user, days_ago(21))
    check_extension_ending(TODAY())
    assert mail.outbox == []
    assert Flag.objects.open().filter(kind=Kind.EXTENSION_ENDING).exists()


def test_the_checks_run_it(pc, admin_user):
    extended(pc, admin_user, days_ago(28))
    checks.run_checks(today=TODAY(), only=[Kind.EXTENSION_ENDING])
    assert assignment(pc).ended_on == TODAY()


# --- The screen -------------------------------------------------------------------------------


def url(client) -> str:
    return reverse("assignments:care_end", args=[client.pk])


def form_data(pc, **overrides):
    data = {
        "ended_on": days_ago(2).isoformat(),
        "learnt_from": "ward",
        "learnt_note": "",
        "patient_wants_extension": "on",
        "support_person_wants_extension": "on",
        "version": version_of(type(pc["patient"]).objects.get(pk=pc["patient"].pk)),
        "confirm": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_office_records_an_extension(as_admin, pc):
    page = as_admin.get(url(pc["patient"]))
    assert page.status_code == 200
    assert "Tvångsvården har upphört" in page.content.decode()
    response = as_admin.post(url(pc["patient"]), form_data(pc))
    assert response.status_code == 302
    assert CareEnd.objects.get().is_extended
    assert assignment(pc).ended_on is None
    # The page again: the record, and when the assignment is released.
    again = as_admin.get(url(pc["patient"])).content.decode()
    assert (days_ago(2) + dt.timedelta(days=28)).isoformat() in again


def test_the_unit_manager_releases_at_once(as_manager_a, pc):
    response = as_manager_a.post(
        url(pc["patient"]), form_data(pc, support_person_wants_extension=None)
    )
    assert response.status_code == 302
    assert assignment(pc).end_reason == Assignment.EndReason.CARE_ENDED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ended_on": (TODAY() + dt.timedelta(days=1)).isoformat()}, "ended_on", "framtiden"),
        ({"ended_on": (TODAY() - dt.timedelta(days=61)).isoformat()}, "ended_on", "innan"),
        ({"ended_on": ""}, "ended_on", "Ange dagen"),
        ({"learnt_from": ""}, "learnt_from", "var kontoret fick veta"),
        ({"learnt_from": "other"}, "learnt_note", "var kontoret fick veta"),
    ],
)
def test_bad_input_gets_a_swedish_error_and_saves_nothing(as_admin, pc, overrides, field, message):
    response = as_admin.post(url(pc["patient"]), form_data(pc, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in errors[field][0]
    summary = response.content.decode().split('data-testid="error-summary"')[1].split("</div>")[0]
    assert message in summary  # in the summary too
    assert not CareEnd.objects.exists()
    assert assignment(pc).ended_on is None


def test_an_unconfirmed_post_changes_nothing(as_admin, pc):
    response = as_admin.post(url(pc["patient"]), form_data(pc, confirm=None))
    assert response.status_code == 200
    assert not CareEnd.objects.exists()


def test_a_patient_without_support_person_is_pointed_to_the_request(as_admin, pc):
    patient = factories.ClientFactory(unit=pc["unit"])
    request = factories.RequestFactory(client=patient)
    page = as_admin.get(url(patient)).content.decode()
    assert reverse("assignments:request_withdraw", args=[request.pk]) in page


def test_who_may_see_the_screen(pc, world, http_for):
    assert http_for("manager_b").get(url(pc["patient"])).status_code == 404
    assert http_for("sp_with").get(url(pc["patient"])).status_code == 403
    # Not a patient of the committee: nothing to record.
    assert http_for("admin").get(url(world.client_a)).status_code == 404


@pytest.fixture
def http_for(admin_user, manager_a, manager_b, sp_user):
    from django.test import Client as HttpClient

    users = {"admin": admin_user, "manager_b": manager_b, "sp_with": sp_user}

    def client_for(name: str) -> HttpClient:
        http = HttpClient()
        http.force_login(users[name])
        return http

    return client_for
