"""The checks stop for a client who has ended (issue 15, item 3): no check raises a flag for
them, and their open flags close, except an open deviation's, which is still to be
investigated and closed after the client has left (SOSFS 2011:5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assignments import services
from assignments.models import Assignment
from clients.models import Client, Deviation
from flags import checks
from flags.models import Flag
from stodperson.concurrency import version_of
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Flag.Kind
TODAY = timezone.localdate


def open_kinds(client: Client) -> set[str]:
    return set(Flag.objects.open().filter(client=client).values_list("kind", flat=True))


def end(client: Client, by, on: dt.date | None = None) -> None:
    client = Client.objects.get(pk=client.pk)
    services.client_end(
        client=client,
        ended_on=on or TODAY(),
        reason="Insatsen har upphört",
        version=version_of(client),
        by=by,
    )


@pytest.fixture
def neglected(world):
    """A personal-assistance client with everything overdue: no plan and no documentation
    since they began long ago, a consent past review, a risk follow-up past due and a
    deviation open too long."""
    client = factories.ClientFactory(unit=world.unit_a, started_on=TODAY() - dt.timedelta(days=800))
    factories.AssignmentFactory(client=client, started_on=client.started_on)
    factories.ConsentFactory(
        client=client,
        given_on=TODAY() - dt.timedelta(days=400),
        review_on=TODAY() - dt.timedelta(days=10),
    )
    factories.RiskMeasureFactory(
        client=client,
        decided_on=TODAY() - dt.timedelta(days=100),
        follow_up_on=TODAY() - dt.timedelta(days=5),
    )
    factories.DeviationFactory(
        client=client,
        occurred_on=TODAY() - dt.timedelta(days=90),
        status=Deviation.Status.HANDLING,
    )
    return client


@pytest.fixture
def waiting_patient():
    """A patient whose compulsory care ended long ago, with the assignment still open, and
    a request past its target."""
    unit = factories.UnitFactory(programme=factories.patient_committee_programme())
    patient = factories.ClientFactory(
        unit=unit,
        started_on=TODAY() - dt.timedelta(days=200),
        compulsory_care_ended_on=TODAY() - dt.timedelta(days=60),
    )
    factories.AssignmentFactory(
        client=patient,
        support_person=factories.SupportPersonFactory(programme=unit.programme),
        started_on=patient.started_on,
    )
    factories.RequestFactory(client=patient, received_at=timezone.now() - dt.timedelta(days=20))
    return patient


ENDED_CLIENT_KINDS = {
    Kind.PLAN_OVERDUE,
    Kind.DOCUMENTATION_MISSING,
    Kind.CONSENT_REVIEW,
    Kind.RISK_FOLLOW_UP,
    Kind.DEVIATION_OPEN,
}


def test_the_checks_stop_for_an_ended_client_but_an_open_deviation_stays(neglected, admin_user):
    checks.run_checks(today=TODAY())
    assert open_kinds(neglected) == ENDED_CLIENT_KINDS
    end(neglected, admin_user)
    checks.run_checks(today=TODAY())
    assert open_kinds(neglected) == {Kind.DEVIATION_OPEN}
    assert not Assignment.objects.filter(client=neglected, ended_on__isnull=True).exists()
    # Not even the flag for a client left without a support person by the end itself.
    assert Kind.NO_SUPPORT_PERSON not in open_kinds(neglected)


def test_the_open_flags_close_at_once_without_waiting_for_the_checks(neglected, admin_user):
    checks.run_checks(today=TODAY())
    end(neglected, admin_user)
    closed = checks.resolve_flags_of_ended_client(Client.objects.get(pk=neglected.pk))
    assert closed == len(ENDED_CLIENT_KINDS) - 1
    assert open_kinds(neglected) == {Kind.DEVIATION_OPEN}
    # The next run agrees: it neither reopens nor closes anything.
    results = checks.run_checks(today=TODAY())
    assert sum(r.opened + r.resolved for r in results) == 0


def test_an_active_client_keeps_their_flags(neglected):
    checks.run_checks(today=TODAY())
    assert checks.resolve_flags_of_ended_client(neglected) == 0
    assert open_kinds(neglected) == ENDED_CLIENT_KINDS


def test_the_last_months_documentation_is_not_flagged_for_a_client_who_ended_since(neglected):
    # Active on the last day of last month, ended since: before, the monthly check still
    # flagged the month.
    Client.objects.filter(pk=neglected.pk).update(ended_on=TODAY().replace(day=1))
    checks.check_documentation_missing(TODAY())
    assert Kind.DOCUMENTATION_MISSING not in open_kinds(neglected)


def test_ending_a_patient_releases_the_assignment_and_withdraws_the_request(
    waiting_patient, admin_user
):
    checks.run_checks(today=TODAY())
    assert {Kind.CARE_ENDED, Kind.REQUEST_LATE} <= open_kinds(waiting_patient)
    end(waiting_patient, admin_user)
    checks.run_checks(today=TODAY())
    assert open_kinds(waiting_patient) == set()


def test_no_check_raises_for_an_ended_client_whose_records_were_left_open(waiting_patient):
    # Ended in the admin, say, with the assignment and the request left as they were.
    Client.objects.filter(pk=waiting_patient.pk).update(ended_on=TODAY() - dt.timedelta(days=1))
    checks.run_checks(today=TODAY())
    assert open_kinds(waiting_patient) == set()
