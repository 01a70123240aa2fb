"""An administrator writes a tertial report, makes it final, and produces many reports at
once, following the progress on the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reports.batches import produce_batch
from reports.models import ReportBatch, TertialReport
from tests.factories import DEFAULT_PASSWORD
from tests.reports.dataset import Dataset, build_dataset

from .conftest import login


@pytest.fixture
def dataset(db: Any) -> Dataset:
    """The built T3 2022 dataset (tests/reports/dataset.py)."""
    return build_dataset()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_administrator_writes_and_finalises_a_report(
    page: Page, live_server: Any, dataset: Any, admin_user: Any, screenshot: Any, settings: Any
) -> None:
    settings.REPORT_MIN_GROUP_SIZE = 1  # every count shown (tests/reports/test_small_counts.py)
    login(page, live_server, "admin", DEFAULT_PASSWORD)
    page.get_by_role("link", name="Tertialrapporter").click()
    page.get_by_role("link", name="Ny rapport").click()
    page.get_by_label("Verksamhet").select_option(str(dataset.programme.pk))
    page.get_by_label("År").select_option("2022")
    page.get_by_label("Tertial").select_option("3")
    page.get_by_role("button", name="Skapa").click()

    expect(page.get_by_role("heading", name="Tertialrapport T3 2022")).to_be_visible()
    expect(page.get_by_test_id("reconciliation")).to_contain_text("OK")
    expect(page.get_by_role("textbox", name="Uppdrag")).to_have_value(
        re.compile("totalt 5 stödpersonsuppdrag förordnats och 2 uppdrag entledigats")
    )
    page.get_by_role("textbox", name="Planerade åtgärder").fill(
        "Rekrytera fler manliga stödpersoner i Umeå."
    )
    page.get_by_role("button", name="Spara texten").click()
    expect(page.get_by_text("Texten är sparad.")).to_be_visible()
    screenshot(page, "draft")

    page.get_by_role("link", name="Fastställ").click()
    page.get_by_label("Jag har granskat siffrorna och texten: fastställ rapporten.").check()
    page.get_by_role("button", name="Fastställ").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Fastställd")
    expect(page.get_by_role("button", name="Spara texten")).to_have_count(0)
    expect(page.get_by_text("Rekrytera fler manliga stödpersoner i Umeå.")).to_be_visible()
    assert TertialReport.objects.get().is_final


def test_the_progress_page_follows_a_batch_until_the_files_are_ready(
    page: Page, live_server: Any, dataset: Any, admin_user: Any, screenshot: Any
) -> None:
    batch = ReportBatch.objects.create(
        created_by=admin_user,
        items=[{"programme": dataset.programme.pk, "year": 2022, "tertial": 3}],
        total=1,
    )
    login(page, live_server, "admin", DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("reports:batch", args=[batch.pk]))
    progress = page.locator("#batch-progress")
    expect(progress).to_contain_text("0 av 1 klara")
    expect(page.get_by_role("link", name="Uppdatera")).to_be_visible()

    # The worker produces the files; htmx asks again every 2 s and the link appears.
    produce_batch(batch.pk)
    expect(page.get_by_role("link", name="Ladda ner filerna (zip)")).to_be_visible(timeout=10_000)
    expect(progress).to_contain_text("1 av 1 klar")
    screenshot(page)
