"""The period's decisions under delegation for the committee's meeting (page, PDF, CSV) and
the decision letters, read back as a person would (pdftotext), on a built data set whose
answers are known."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services
from assignments.models import Assignment, Decision, SupportPersonChange
from audit.models import ReadLogEntry
from clients.models import ProtectedIdentity
from stodperson.concurrency import version_of
from supportpersons.models import Matter, SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# The period asked for: a window wholly in the past, so the acts can be dated in and
# around it.
FIRST, LAST = TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=31)
PERIOD = {"first": FIRST.isoformat(), "last": LAST.isoformat()}


def _pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def committee(db, admin_user):
    """A committee's period, built through the acts themselves: in the period 4
    appointments (one of them a change), 2 releases (the change's and one more), 1
    recruitment and 2 deactivations; and acts the day before and the day after it, which
    the list leaves out."""
    pc = factories.patient_committee_programme()
    unit = factories.UnitFactory(programme=pc, name="Patientnämnden Umeå")
    people = [factories.SupportPersonFactory(programme=pc) for _ in range(6)]
    patients = [
        factories.ClientFactory(unit=unit, first_name=first, last_name=last, legal_basis="lpt")
        for first, last in (
            ("Karin", "Lindqvist"),
            ("Olof", "Bergström"),
            ("Maja", "Nordin"),
            ("Protegerad", "Hemligsson"),
        )
    ]
    patients[3].protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    patients[3].save()

    def appoint(patient, person, on):
        return services.assignment_create(
            client=patient, support_person=person, started_on=on, by=admin_user
        )

    before = appoint(patients[0], people[0], FIRST - dt.timedelta(days=1))  # outside
    appoint(patients[1], people[1], FIRST)
    third = appoint(patients[2], people[2], FIRST + dt.timedelta(days=3))
    appoint(patients[3], people[3], LAST)
    services.support_person_change(  # a release and an appointment
        assignment=before,
        successor=people[4],
        changed_on=FIRST + dt.timedelta(days=10),
        reason=SupportPersonChange.Reason.CLIENT_WISH,
        client_informed_on=FIRST + dt.timedelta(days=5),
        by=admin_user,
    )
    services.assignment_end(
        assignment=third,
        ended_on=LAST,
        reason=Assignment.EndReason.CARE_ENDED,
        by=admin_user,
    )
    services.support_person_deactivate(  # no assignment: a deactivation only
        support_person=people[5], on=FIRST + dt.timedelta(days=12), reason="Flyttat", by=admin_user
    )
    idle = factories.SupportPersonFactory(programme=pc)
    services.support_person_deactivate(
        support_person=idle, on=LAST, reason='=HYPERLINK("http://x")', by=admin_user
    )
    recruit = factories.SupportPersonFactory(
        programme=pc, status=SupportPerson.Status.APPLICANT, recruited_on=None
    )
    factories.DecisionFactory(  # a recruitment as decision_record writes it
        assignment=None,
        client=None,
        support_person=recruit,
        kind=Matter.RECRUITMENT,
        decided_on=FIRST + dt.timedelta(days=20),
    )
    late = appoint(
        factories.ClientFactory(unit=unit), factories.SupportPersonFactory(programme=pc), LAST
    )
    Decision.objects.filter(assignment=late).update(decided_on=LAST + dt.timedelta(days=1))
    return {"programme": pc, "patients": patients, "people": people, "unit": unit}


SUMMARY = "4 uppdrag påbörjats, 2 avslutats, 1 stödperson rekryterad och 2 stödpersoner avslutade"


def test_the_summary_counts_the_periods_decisions(committee, as_admin):
    page = as_admin.get(reverse("reports:decisions"), PERIOD)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{SUMMARY}." in text
    assert len(page.context["rows"]) == 9
    assert "Karin Lindqvist" in text and "Olof Bergström" in text
    assert "Hemligsson" not in text  # the administrator is no named reader


def test_the_summary_agrees_in_the_singular(committee, as_admin):
    one_day = {"first": LAST.isoformat(), "last": LAST.isoformat()}
    text = as_admin.get(reverse("reports:decisions"), one_day).content.decode()
    assert (
        "1 uppdrag påbörjats, 1 avslutats, 0 stödpersoner rekryterade och 1 stödperson avslutad."
        in text
    )


def test_the_list_is_narrowed_to_a_programme(committee, as_admin):
    other = factories.ProgrammeFactory(kind="patient_committee", name="Annan nämnd")
    page = as_admin.get(reverse("reports:decisions"), {**PERIOD, "programme": other.pk})
    assert page.context["rows"] == []
    assert "Inga delegationsbeslut under perioden." in page.content.decode()


def test_a_period_that_ends_before_it_starts_is_refused_in_swedish(committee, as_admin):
    bad = {"first": LAST.isoformat(), "last": FIRST.isoformat()}
    page = as_admin.get(reverse("reports:decisions"), bad).content.decode()
    assert "Periodens slut kan inte ligga före dess början." in page
    assert "Det finns ett problem" in page


def test_the_pdf_reads_back_with_the_summary_and_no_protected_name(committee, as_admin):
    response = as_admin.get(reverse("reports:decisions_export", args=["pdf"]), PERIOD)
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Delegationsbeslut" in text
    assert " ".join(SUMMARY.split()[:4]) in " ".join(text.split())
    assert "Karin Lindqvist" in text and "Förordnande av stödperson" in text
    assert "Hemligsson" not in text and "Skyddad identitet" in text
    exported = ReadLogEntry.objects.filter(action=ReadLogEntry.Action.EXPORT)
    patients = committee["patients"]
    assert set(exported.filter(subject="client").values_list("subject_id", flat=True)) == {
        p.pk for p in patients
    }


def test_the_csv_defuses_formulas_and_masks_the_protected_patient(committee, as_admin):
    response = as_admin.get(reverse("reports:decisions_export", args=["csv"]), PERIOD)
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][2] == SUMMARY
    assert rows[1][:3] == ["beslutsdatum", "beslut", "delegationspunkt"]
    assert len(rows) == 2 + 9
    reasons = [row[7] for row in rows[2:]]
    assert '\'=HYPERLINK("http://x")' in reasons
    assert "Hemligsson" not in content
    assert response["Content-Disposition"].startswith('attachment; filename="delegationsbeslut-')


def test_a_named_reader_sees_the_protected_patient_in_the_list(committee, admin_user, as_admin):
    committee["patients"][3].identity_readers.add(admin_user)
    content = as_admin.get(
        reverse("reports:decisions_export", args=["csv"]), PERIOD
    ).content.decode("utf-8-sig")
    assert "Protegerad Hemligsson" in content


def test_the_list_runs_a_fixed_number_of_queries(
    committee, as_admin, admin_user, django_assert_num_queries
):
    url = reverse("reports:decisions")
    as_admin.get(url, PERIOD)  # warm the session and the caches
    with django_assert_num_queries(14) as few:
        as_admin.get(url, PERIOD)
    pc, unit = committee["programme"], committee["unit"]
    for _ in range(10):
        patient = factories.ClientFactory(
            unit=unit, protected_identity=ProtectedIdentity.CONFIDENTIALITY_MARK
        )
        services.assignment_create(
            client=patient,
            support_person=factories.SupportPersonFactory(programme=pc),
            started_on=FIRST + dt.timedelta(days=2),
            by=admin_user,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = as_admin.get(url, PERIOD)
    assert len(page.context["rows"]) == 19


def _letter(http, decision, to):
    response = http.get(reverse("reports:decision_letter", args=[decision.pk, to]))
    assert response.status_code == 200
    return " ".join(_pdf_text(response.content).split())


def test_the_appointment_letters_say_what_each_reader_may_know(committee, as_admin):
    karin_decision = Decision.objects.get(kind=Matter.APPOINTMENT, client=committee["patients"][1])
    to_patient = _letter(as_admin, karin_decision, "patient")
    person = karin_decision.support_person
    assert "Beslut om förordnande av stödperson" in to_patient
    assert "Till: Olof Bergström" in to_patient
    assert f"förordnade nämnden {person.full_name} som din stödperson" in to_patient
    assert "30 § lagen (1991:1128) om psykiatrisk tvångsvård" in to_patient
    assert "punkt 3.2 i nämndens delegationsordning" in to_patient
    to_volunteer = _letter(as_admin, karin_decision, "stodperson")
    assert f"Till: {person.full_name}" in to_volunteer
    assert "stödperson för Olof Bergström (Patientnämnden Umeå)" in to_volunteer


def test_the_volunteers_letter_hides_a_protected_patient_and_an_ended_assignment(
    committee, as_admin
):
    protected = Decision.objects.get(kind=Matter.APPOINTMENT, client=committee["patients"][3])
    letter = _letter(as_admin, protected, "stodperson")
    assert "Hemligsson" not in letter
    assert "kansliet berättar vem" in letter
    assert "Hemligsson" not in _letter(as_admin, protected, "patient")
    released = Decision.objects.get(kind=Matter.RELEASE, client=committee["patients"][2])
    letter = _letter(as_admin, released, "stodperson")
    assert "Beslut om entledigande av stödperson" in letter
    assert "Maja" not in letter and "Nordin" not in letter
    assert "som började den" in letter


def test_a_recruitment_has_a_letter_to_the_volunteer_only(committee, as_admin):
    recruitment = Decision.objects.get(kind=Matter.RECRUITMENT)
    assert "antogs du som stödperson" in _letter(as_admin, recruitment, "stodperson")
    url = reverse("reports:decision_letter", args=[recruitment.pk, "patient"])
    assert as_admin.get(url).status_code == 404


def test_the_office_records_when_the_parties_were_told(committee, as_admin):
    decision = Decision.objects.filter(kind=Matter.APPOINTMENT).first()
    url = reverse("reports:decision", args=[decision.pk])
    data = {
        "reasons": "Förordnande på patientens begäran.",
        "patient_notified_on": LAST.isoformat(),
        "volunteer_notified_on": LAST.isoformat(),
        "ward_notified_on": "",
        "version": version_of(decision),
    }
    assert as_admin.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert (decision.patient_notified_on, decision.ward_notified_on) == (LAST, None)
    assert decision.history.count() == 2
    assert not decision.all_notified


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("patient_notified_on", "2999-01-01", "Datumet kan inte vara i framtiden."),
        ("ward_notified_on", "2000-01-01", "Datumet kan inte ligga före beslutet"),
        ("reasons", "", "Detta fält måste fyllas i."),
    ],
)
def test_a_bad_notification_saves_nothing(committee, as_admin, field, value, message):
    decision = Decision.objects.filter(kind=Matter.APPOINTMENT).first()
    data = {
        "reasons": "Skäl",
        "volunteer_notified_on": LAST.isoformat(),
        "version": version_of(decision),
        field: value,
    }
    response = as_admin.post(reverse("reports:decision", args=[decision.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    decision.refresh_from_db()
    assert decision.volunteer_notified_on is None


def test_a_stale_form_saves_nothing_and_says_why(committee, as_admin):
    decision = Decision.objects.filter(kind=Matter.APPOINTMENT).first()
    old = version_of(decision)
    decision.reasons = "Ändrat av någon annan."
    decision.save()
    response = as_admin.post(
        reverse("reports:decision", args=[decision.pk]),
        {"reasons": "Mitt skäl", "volunteer_notified_on": LAST.isoformat(), "version": old},
    )
    assert "Någon annan har ändrat" in response.content.decode()
    decision.refresh_from_db()
    assert decision.reasons == "Ändrat av någon annan."


def test_a_committee_manager_sees_their_units_decisions_only(committee, manager_a, admin_user):
    committee["unit"].managers.add(manager_a)
    other_unit = factories.UnitFactory(programme=committee["programme"], name="Skellefteå")
    services.assignment_create(
        client=factories.ClientFactory(unit=other_unit, last_name="Annansson"),
        support_person=factories.SupportPersonFactory(programme=committee["programme"]),
        started_on=FIRST,
        by=admin_user,
    )
    http = _http(manager_a)
    page = http.get(reverse("reports:decisions"), PERIOD)
    assert "Annansson" not in page.content.decode()
    # The unit's 9, and the committee's pool decisions (recruitment, deactivation) it reads.
    assert len(page.context["rows"]) == 9


def _http(user):
    from django.test import Client as HttpClient

    http = HttpClient()
    http.force_login(user)
    return http
