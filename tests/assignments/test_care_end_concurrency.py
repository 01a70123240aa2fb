"""Two runs of the daily job at the same moment release an extended assignment once
(flags/care_checks.py: the due care ends are locked and claimed before the release)."""

from __future__ import annotations

import datetime as dt
import threading
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from assignments.models import Assignment, CareEnd
from flags import care_checks
from tests import factories


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite takes one writer at a time, so two runs cannot overlap",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_release_once(monkeypatch):
    today = timezone.localdate()
    programme = factories.ProgrammeFactory(kind="patient_committee", slug="pn-samtidigt")
    # A release is a decision under delegation: the programme's list must name a delegate.
    factories.delegation_item(programme, "release")
    unit = factories.UnitFactory(programme=programme)
    client = factories.ClientFactory(
        unit=unit, compulsory_care_ended_on=today - dt.timedelta(days=28)
    )
    assignment = factories.AssignmentFactory(
        client=client, started_on=today - dt.timedelta(days=60)
    )
    CareEnd.objects.create(
        assignment=assignment,
        learnt_from="ward",
        patient_wants_extension=True,
        support_person_wants_extension=True,
        recorded_by=factories.UserFactory(),
    )
    # Both runs have found the care end due before either claims it: the worst interleaving.
    barrier = threading.Barrier(2, timeout=20)
    real_atomic = care_checks.transaction.atomic

    class WaitThenAtomic:
        def __enter__(self):
            barrier.wait()
            self.inner = real_atomic()
            return self.inner.__enter__()

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

    monkeypatch.setattr(care_checks, "transaction", SimpleNamespace(atomic=WaitThenAtomic))
    released: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            released.extend(a.pk for a in care_checks.release_ended_extensions(today))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert released == [assignment.pk]
    ended = Assignment.objects.get(pk=assignment.pk)
    assert ended.ended_on == today and ended.end_reason == "extension_ended"
    assert ended.history.filter(end_reason="extension_ended").count() == 1
