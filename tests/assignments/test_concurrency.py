"""Two managers appoint a support person to the same client at the same moment."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from assignments import services
from assignments.models import Assignment
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_two_appointments_at_once_leave_one_assignment_and_a_clear_message(manager_a, admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite takes one writer at a time to begin with")
    unit = factories.UnitFactory(managers=[manager_a])
    client = factories.ClientFactory(unit=unit)
    people = [factories.SupportPersonFactory(unit=unit) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def appoint(person, user) -> None:
        try:
            barrier.wait(timeout=10)
            services.assignment_create(
                client=client, support_person=person, started_on=timezone.localdate(), by=user
            )
            outcomes.append("appointed")
        except services.ServiceError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=appoint, args=(people[0], manager_a)),
        threading.Thread(target=appoint, args=(people[1], admin_user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted(["appointed", "Klienten har redan en aktiv stödperson."])
    assert Assignment.objects.filter(client=client, ended_on__isnull=True).count() == 1
