"""The duties and flags apps took their models over from assignments, and Request became
SupportRequest (issue #12). A database filled in the old layout migrates forward with every
row, history row, flag and content type intact, on PostgreSQL and on SQLite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from assignments.models import RequestPause, SupportRequest
from duties.models import DutyCheck, DutyTemplate
from flags.models import DigestLog, Flag
from tests import factories

BEFORE = ("assignments", "0005_scale_indexes")
# The apps of the split, and those whose migrations depend on them (payments pays
# assignments): their state is the one before the split too.
SPLIT_APPS = {"assignments", "duties", "flags", "payments"}
NOW = timezone.now().replace(microsecond=0)


def _migrate(*target: str) -> None:
    # The command, not the executor alone: its signals move the content types of a renamed
    # model, as in a real deployment.
    call_command("migrate", *target, verbosity=0)


@pytest.fixture
def old_layout(transactional_db: None) -> Iterator[object]:
    """The database as it was before the split, given back at the latest state whatever
    the test does."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(*BEFORE)
    try:
        yield (
            MigrationExecutor(connection)
            .loader.project_state([BEFORE, *[node for node in latest if node[0] not in SPLIT_APPS]])
            .apps
        )
    finally:
        _migrate()


def test_every_row_of_the_old_layout_is_there_after_the_migration(old_layout):
    old = old_layout
    # Clients, support persons and assignments keep their tables: today's models write them.
    user = factories.UserFactory()
    assignment = factories.AssignmentFactory(started_on=dt.date(2026, 1, 5))
    client = assignment.client
    # The models that move or are renamed, written through the old layout's models.
    request = old.get_model("assignments", "Request").objects.create(
        client_id=client.pk, received_at=NOW, source="patient", note="Ringde själv"
    )
    old.get_model("assignments", "HistoricalRequest").objects.create(
        id=request.pk,
        client_id=client.pk,
        received_at=NOW,
        source="patient",
        note="Ringde själv",
        history_date=NOW,
        history_type="+",
        history_user_id=user.pk,
    )
    pause = old.get_model("assignments", "RequestPause").objects.create(
        request_id=request.pk, started_on=dt.date(2026, 1, 6), reason="Sjukhusvistelse"
    )
    template = old.get_model("assignments", "DutyTemplate").objects.create(
        programme_id=client.unit.programme_id, title="Läsa genomförandeplanen", order=99
    )
    check = old.get_model("assignments", "DutyCheck").objects.create(
        assignment_id=assignment.pk,
        template_id=template.pk,
        done_on=dt.date(2026, 2, 1),
        note="Gjort",
        by_id=user.pk,
    )
    flag = old.get_model("assignments", "Flag").objects.create(
        kind="plan_overdue", client_id=client.pk, target_id=client.pk, detail="2025-01-01"
    )
    digest = old.get_model("assignments", "DigestLog").objects.create(
        user_id=user.pk, day=dt.date(2026, 2, 2), as_of=NOW, new_flags=3
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    flag_type = content_types.get_or_create(app_label="assignments", model="flag")[0]
    request_type = content_types.get_or_create(app_label="assignments", model="request")[0]
    entry = old.get_model("admin", "LogEntry").objects.create(
        user_id=user.pk,
        content_type_id=flag_type.pk,
        object_id=str(flag.pk),
        object_repr="Flagga",
        action_flag=CHANGE,
        action_time=NOW,
    )

    _migrate()

    moved = SupportRequest.objects.get(pk=request.pk)
    assert (moved.client_id, moved.received_at, moved.note) == (client.pk, NOW, "Ringde själv")
    assert moved.history.get().history_user_id == user.pk
    assert RequestPause.objects.get(pk=pause.pk).request_id == request.pk
    assert DutyTemplate.objects.get(pk=template.pk).title == "Läsa genomförandeplanen"
    ticked = DutyCheck.objects.get(pk=check.pk)
    assert (ticked.assignment_id, ticked.template_id, ticked.note) == (
        assignment.pk,
        template.pk,
        "Gjort",
    )
    assert Flag.objects.open().get(pk=flag.pk).detail == "2025-01-01"
    assert DigestLog.objects.get(pk=digest.pk).new_flags == 3
    # The content types moved with their models, so the admin's log still finds its flag.
    assert ContentType.objects.get_for_model(Flag).pk == flag_type.pk
    assert ContentType.objects.get_for_model(SupportRequest).pk == request_type.pk
    assert LogEntry.objects.get(pk=entry.pk).get_edited_object() == Flag.objects.get(pk=flag.pk)
