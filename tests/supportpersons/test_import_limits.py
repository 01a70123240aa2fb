"""An uploaded workbook cannot hold a worker: its unpacked size, width, height and cell size
are bounded, checked before values are read, and a file over a bound is refused in Swedish
with nothing saved. The hostile files are built here; the tests assert how far the reader
got (never past the bound), not how long it took."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet import _reader

from supportpersons import importing
from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db

HEADERS = ["förnamn", "efternamn", "kön", "ort"]


@pytest.fixture
def parsed_rows(monkeypatch) -> list[int]:
    """How many rows openpyxl's sheet parser produced, and whether the workbook was opened."""
    seen: list[int] = []
    parse = _reader.WorkSheetParser.parse

    def counting(self):
        for row in parse(self):
            seen.append(row[0])
            yield row

    monkeypatch.setattr(_reader.WorkSheetParser, "parse", counting)
    return seen


@pytest.fixture
def opened(monkeypatch) -> list[bool]:
    calls: list[bool] = []
    load = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(True)
        return load(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    return calls


def _write_only(rows) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, change) -> bytes:
    """The same zip with each part passed through change(name, data)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)), 8)
    return out.getvalue()


def _refused(content: bytes, message: str) -> None:
    with pytest.raises(importing.ImportFileError) as error:
        importing.read_rows("pool.xlsx", content)
    assert message in str(error.value)


def test_a_row_wider_than_the_limit_is_refused_by_its_declared_size_before_any_row(parsed_rows):
    content = _rewrite(
        _write_only([list(range(16_384))]),
        lambda name, data: (
            re.sub(rb"<dimension[^>]*/>", b"", data).replace(
                b"<sheetData>", b'<dimension ref="A1:XFD1"/><sheetData>', 1
            )
            if name.startswith("xl/worksheets/")
            else data
        ),
    )
    _refused(content, "fler än 50 kolumner")
    assert parsed_rows == []


def test_a_row_wider_than_the_limit_without_a_declared_size_stops_at_that_row(parsed_rows):
    content = _rewrite(
        _write_only([HEADERS + list(range(5_000)), ["Eva", "Ek", "kvinna", "Umeå"]] * 3),
        lambda name, data: re.sub(rb"<dimension[^>]*/>", b"", data),
    )
    _refused(content, "fler än 50 kolumner")
    assert len(parsed_rows) == 1


def test_a_sheet_declaring_a_million_rows_is_refused_before_any_row(parsed_rows):
    content = _rewrite(
        _write_only([HEADERS, ["Eva", "Ek", "kvinna", "Umeå"]]),
        lambda name, data: (
            re.sub(rb"<dimension[^>]*/>", b"", data).replace(
                b"<sheetData>", b'<dimension ref="A1:D1000000"/><sheetData>', 1
            )
            if name.startswith("xl/worksheets/")
            else data
        ),
    )
    _refused(content, "fler än 5000 rader")
    assert parsed_rows == []


def test_a_60_mb_cell_is_refused_by_the_unpacked_size_before_the_workbook_is_opened(opened):
    # openpyxl cuts text at Excel's 32,767 characters when it writes, so the cell is put in
    # the sheet's XML afterwards, as a hostile file would have it.
    content = _rewrite(
        _write_only([HEADERS, ["PLATS", "Ek", "kvinna", "Umeå"]]),
        lambda name, data: data.replace(b"PLATS", b"x" * (60 * 1024 * 1024)),
    )
    assert len(content) < 200 * 1024
    _refused(content, "för stor uppackad")
    assert opened == []


def test_a_zip_bomb_is_refused_before_the_workbook_is_opened(opened):
    content = _write_only([HEADERS])
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bomb.bin", bytes(40 * 1024 * 1024))
    _refused(out.getvalue(), "för stor uppackad")
    assert opened == []


def test_a_cell_over_the_limit_is_refused_by_its_row(parsed_rows):
    content = _write_only([HEADERS, ["Eva", "Ek", "kvinna", "Umeå"], ["Å" * 2001, "B", "man", "X"]])
    _refused(content, "Rad 3 har en cell med fler än 2000 tecken")
    assert len(parsed_rows) == 3


def test_the_upload_page_refuses_a_hostile_file_in_swedish_and_saves_nothing(as_admin, db):
    programme = factories.patient_committee_programme()
    factories.LocalityFactory(name="Umeå")
    content = _write_only([HEADERS + list(range(60)), ["Eva", "Ek", "kvinna", "Umeå"]])
    response = as_admin.post(
        reverse("supportpersons:import"),
        {
            "kind": "support_persons",
            "programme": programme.pk,
            "file": SimpleUploadedFile("pool.xlsx", content),
        },
    )
    assert response.status_code == 200
    assert "fler än 50 kolumner" in response.content.decode()
    assert not SupportPerson.objects.exists()


def test_an_ordinary_workbook_is_still_read():
    headers, rows = importing.read_rows(
        "pool.xlsx", _write_only([HEADERS, ["Eva", "Ek", "kvinna", "Umeå"]])
    )
    assert headers == HEADERS and rows == [
        dict(zip(HEADERS, ["Eva", "Ek", "kvinna", "Umeå"], strict=True))
    ]
