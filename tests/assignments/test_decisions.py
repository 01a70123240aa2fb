"""Decisions under delegation: every appointment, release, change, recruitment and
deactivation in a patient committee's programme records one, in the act's own transaction
(an act that fails leaves none, and a decision that cannot be recorded stops the act)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assignments import services
from assignments.models import Assignment, Decision, SupportPersonChange
from stodperson.errors import ServiceError
from supportpersons import services as pool_services
from supportpersons.models import DelegationItem, Matter, RecruitmentStep, SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
Step = RecruitmentStep.Step


@pytest.fixture
def pc(db):
    return factories.patient_committee_programme()


@pytest.fixture
def patient(pc):
    unit = factories.UnitFactory(programme=pc, name="Patientnämnden Umeå")
    return factories.ClientFactory(unit=unit, legal_basis="lpt")


@pytest.fixture
def volunteer(pc):
    return factories.SupportPersonFactory(programme=pc)


def test_the_default_programme_has_a_delegation_list_from_the_migration(pc):
    items = {i.matter: i.reference for i in DelegationItem.objects.filter(programme=pc)}
    assert items == {
        Matter.RECRUITMENT: "3.1",
        Matter.APPOINTMENT: "3.2",
        Matter.RELEASE: "3.3",
        Matter.DEACTIVATION: "3.4",
    }


def test_an_appointment_from_a_request_records_its_decision(patient, volunteer, admin_user):
    request = factories.RequestFactory(client=patient)
    assignment = services.request_appoint(
        request=request, support_person=volunteer, started_on=TODAY(), by=admin_user
    )
    decision = Decision.objects.get()
    assert (decision.kind, decision.decided_on, decision.decided_by) == (
        Matter.APPOINTMENT,
        TODAY(),
        admin_user,
    )
    assert (decision.client, decision.support_person, decision.assignment) == (
        patient,
        volunteer,
        assignment,
    )
    assert (decision.delegation_reference, decision.delegate) == (
        "3.2",
        "Handläggare vid patientnämndens kansli",
    )
    assert decision.reasons.startswith("Patientens begäran om stödperson, mottagen")
    assert decision.patient_notified_on is None


def test_a_release_records_its_decision_with_the_reason(patient, volunteer, admin_user):
    assignment = factories.AssignmentFactory(client=patient, support_person=volunteer)
    services.assignment_end(
        assignment=assignment,
        ended_on=TODAY(),
        reason=Assignment.EndReason.CARE_ENDED,
        by=admin_user,
    )
    decision = Decision.objects.get()
    assert (decision.kind, decision.delegation_reference, decision.assignment) == (
        Matter.RELEASE,
        "3.3",
        assignment,
    )
    assert decision.reasons == "Vården eller insatsen har upphört."


def test_a_change_records_a_release_and_an_appointment(patient, volunteer, pc, admin_user):
    assignment = factories.AssignmentFactory(client=patient, support_person=volunteer)
    successor = factories.SupportPersonFactory(programme=pc)
    change = services.support_person_change(
        assignment=assignment,
        successor=successor,
        changed_on=TODAY(),
        reason=SupportPersonChange.Reason.CLIENT_WISH,
        client_informed_on=TODAY(),
        by=admin_user,
    )
    decisions = list(Decision.objects.order_by("id"))
    assert [(d.kind, d.support_person, d.assignment) for d in decisions] == [
        (Matter.RELEASE, volunteer, change.previous),
        (Matter.APPOINTMENT, successor, change.successor),
    ]
    assert {d.reasons for d in decisions} == {"Byte av stödperson: Klientens önskemål."}


def test_a_recruitment_records_its_decision(pc, admin_user):
    person = factories.SupportPersonFactory(
        programme=pc, status=SupportPerson.Status.APPLICANT, recruited_on=None
    )
    for step, days, outcome in (
        (Step.BACKGROUND_CHECK, 20, "passed"),
        (Step.INTERVIEW, 15, "passed"),
        (Step.APPROVED, 12, ""),
        (Step.INTRODUCTION, 5, ""),
    ):
        pool_services.recruitment_step_record(
            support_person=person,
            step=step,
            on=TODAY() - dt.timedelta(days=days),
            outcome=outcome,
            by=admin_user,
        )
    assert not Decision.objects.exists()
    pool_services.recruitment_step_record(
        support_person=person, step=Step.ACTIVE, on=TODAY(), by=admin_user
    )
    decision = Decision.objects.get()
    assert (decision.kind, decision.client, decision.delegation_reference) == (
        Matter.RECRUITMENT,
        None,
        "3.1",
    )
    assert decision.support_person == person


def test_a_deactivation_releases_with_decisions_and_records_its_own(patient, volunteer, admin_user):
    factories.AssignmentFactory(client=patient, support_person=volunteer)
    services.support_person_deactivate(
        support_person=volunteer, on=TODAY(), reason="Flyttar från orten", by=admin_user
    )
    decisions = list(Decision.objects.order_by("id").values_list("kind", "client", "reasons"))
    assert decisions == [
        (Matter.RELEASE, patient.pk, "Stödpersonen avaktiverad."),
        (Matter.DEACTIVATION, None, "Flyttar från orten"),
    ]


def test_personal_assistance_records_no_decisions(world, admin_user):
    services.assignment_end(
        assignment=world.assignment_a,
        ended_on=TODAY(),
        reason=Assignment.EndReason.OTHER,
        by=admin_user,
    )
    services.assignment_create(
        client=world.client_a,
        support_person=world.sp_without_client,
        started_on=TODAY(),
        by=admin_user,
    )
    assert not Decision.objects.exists()


def test_an_act_that_fails_leaves_no_decision(patient, volunteer, pc, admin_user):
    current = factories.AssignmentFactory(client=patient, support_person=volunteer)
    with pytest.raises(ServiceError):
        services.assignment_create(
            client=patient,
            support_person=factories.SupportPersonFactory(programme=pc),
            started_on=TODAY(),
            by=admin_user,
        )
    inactive = factories.SupportPersonFactory(programme=pc, status=SupportPerson.Status.INACTIVE)
    with pytest.raises(ServiceError):
        # The release is done, then the appointment fails: both go, with the release's
        # decision.
        services.support_person_change(
            assignment=current,
            successor=inactive,
            changed_on=TODAY(),
            reason=SupportPersonChange.Reason.OTHER,
            client_informed_on=TODAY(),
            by=admin_user,
        )
    current.refresh_from_db()
    assert current.ended_on is None
    assert not Decision.objects.exists()


@pytest.mark.parametrize("matter", [Matter.APPOINTMENT, Matter.RELEASE])
def test_without_a_delegation_item_the_act_is_refused(patient, volunteer, pc, admin_user, matter):
    DelegationItem.objects.filter(programme=pc, matter=matter).update(active=False)
    if matter == Matter.APPOINTMENT:
        with pytest.raises(ServiceError, match="saknar en gällande punkt för ”Förordnande"):
            services.assignment_create(
                client=patient, support_person=volunteer, started_on=TODAY(), by=admin_user
            )
        assert not Assignment.objects.exists()
    else:
        assignment = factories.AssignmentFactory(client=patient, support_person=volunteer)
        with pytest.raises(ServiceError, match="Entledigande"):
            services.assignment_end(
                assignment=assignment,
                ended_on=TODAY(),
                reason=Assignment.EndReason.OTHER,
                by=admin_user,
            )
        assignment.refresh_from_db()
        assert assignment.ended_on is None
    assert not Decision.objects.exists()


def test_a_new_item_in_force_is_used_and_the_old_decision_keeps_its_reference(
    patient, volunteer, pc, admin_user
):
    assignment = services.assignment_create(
        client=patient, support_person=volunteer, started_on=TODAY(), by=admin_user
    )
    DelegationItem.objects.filter(programme=pc, matter=Matter.RELEASE).update(active=False)
    DelegationItem.objects.create(
        programme=pc, reference="4.7", matter=Matter.RELEASE, delegate="Kanslichef"
    )
    services.assignment_end(
        assignment=assignment, ended_on=TODAY(), reason=Assignment.EndReason.OTHER, by=admin_user
    )
    references = list(
        Decision.objects.order_by("id").values_list("delegation_reference", "delegate")
    )
    assert references == [
        ("3.2", "Handläggare vid patientnämndens kansli"),
        ("4.7", "Kanslichef"),
    ]
