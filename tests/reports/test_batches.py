"""Report batches waiting for a worker are produced by the management command too."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from reports.models import ReportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_command_produces_the_batches_still_waiting(dataset, admin_user, capsys):
    batch = ReportBatch.objects.create(
        created_by=admin_user,
        items=[{"programme": dataset.programme.pk, "year": 2022, "tertial": 3}],
        total=1,
    )
    call_command("produce_report_batches")
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.DONE
    assert batch.file.name.endswith(".zip")
    assert "1 batch" in capsys.readouterr().out


def test_a_batch_that_fails_says_so(dataset, admin_user, monkeypatch):
    batch = ReportBatch.objects.create(
        created_by=admin_user,
        items=[{"programme": dataset.programme.pk, "year": 2022, "tertial": 3}],
        total=1,
    )

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("reports.batches.report_pdf", broken)
    call_command("produce_report_batches")
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.FAILED
    assert "no fonts" in batch.error
