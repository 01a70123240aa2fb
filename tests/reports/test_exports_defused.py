"""Free text in the report's files never runs as a formula (CSV injection): event titles,
cancel reasons, forums and late-request reasons reach the CSV and XLSX defused."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from reports import exports, services
from supportpersons.models import CollaborationActivity, TrainingEvent

from .conftest import AFTER_T3_2022

pytestmark = pytest.mark.django_db

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?t","Klicka")',
    "cancel": "+cmd|' /C calc'!A0",
    "forum": "@SUM(1+1)*cmd|' /C calc'!A0",
    "reason": "-2+3+cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_figures(dataset, admin_user):
    TrainingEvent.objects.filter(status=TrainingEvent.Status.HELD).update(title=HOSTILE["title"])
    TrainingEvent.objects.filter(status=TrainingEvent.Status.CANCELLED).update(
        title=HOSTILE["title"], cancel_reason=HOSTILE["cancel"]
    )
    CollaborationActivity.objects.update(forum=HOSTILE["forum"])
    for request in dataset.requests.values():
        if request.late_reason:
            request.late_reason = HOSTILE["reason"]
            request.save(update_fields=["late_reason"])
    report = services.report_create(
        programme=dataset.programme, year=2022, tertial=3, by=admin_user, today=AFTER_T3_2022
    )
    return report.figures


def _cells(rows):
    return [str(cell) for row in rows for cell in row if cell is not None]


def _assert_defused(cells):
    for text in HOSTILE.values():
        assert text not in cells, text
    for text in ("title", "forum", "reason"):
        assert "'" + HOSTILE[text] in cells, text
    assert not [c for c in cells if c.startswith(("=", "+", "@")) or c.startswith("-2+")]


def test_the_report_csv_carries_free_text_defused(hostile_figures):
    text = exports.figures_csv(hostile_figures).decode("utf-8-sig")
    _assert_defused(_cells(csv.reader(io.StringIO(text), delimiter=";")))


def test_the_report_xlsx_carries_free_text_as_text_never_as_a_formula(hostile_figures):
    book = openpyxl.load_workbook(io.BytesIO(exports.figures_xlsx(hostile_figures)))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value is not None:
                    cells.append(str(cell.value))
    _assert_defused(cells)
