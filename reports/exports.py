"""The report as files: PDF, CSV and XLSX. Each reads only a figures dict and the text, so a
final report's files come from what was stored when it was made final."""

from __future__ import annotations

import io
from datetime import date, datetime

import tablib
from django.conf import settings
from django.utils import translation

from stodperson import spreadsheets

from .figure_types import ReportFigures
from .narrative import period_phrase
from .pdf import render_pdf
from .presentation import Presentation, present
from .tables import Share, Suppressed, Table, Value, format_value

PDF_TEMPLATE = "reports/pdf/report.html"


def file_stem(figures: ReportFigures) -> str:
    return f"rapport-{figures['programme']['slug']}-{figures['period']['slug']}"


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def report_pdf(
    figures: ReportFigures,
    texts: dict[str, str],
    *,
    final: bool,
    finalised_at: datetime | None = None,
) -> bytes:
    """The report as PDF: the same figures and text give the same content (nothing in it
    depends on when it is rendered)."""
    with translation.override(settings.LANGUAGE_CODE):
        presentation = present(figures)
    return render_pdf(
        PDF_TEMPLATE,
        {
            "p": presentation,
            "sections": {name: _paragraphs(text) for name, text in texts.items()},
            "final": final,
            "finalised_on": finalised_at.date() if finalised_at else None,
            "months": period_phrase(figures),
        },
    )


def _tables(figures: ReportFigures) -> tuple[Presentation, list[Table]]:
    with translation.override(settings.LANGUAGE_CODE):
        presentation = present(figures)
    return presentation, presentation.tables


def figures_csv(figures: ReportFigures) -> bytes:
    """Every table of the report, one after the other, separated by an empty line; semicolons
    and a byte-order mark, as Excel in Swedish reads a CSV file."""
    presentation, tables = _tables(figures)
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([presentation.organisation, presentation.programme_name])
    writer.writerow([presentation.period_label, presentation.as_of.isoformat()])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([format_value(value, in_file=True) for value in row])
        if table.note:
            writer.writerow([table.note])
    if presentation.suppressed:
        writer.writerow([])
        writer.writerow([presentation.suppression_note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value: Value) -> str | int | float | date:
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return value.text
    if isinstance(value, Share):
        return round(float(value), 1)
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")[:31]
    name, n = cleaned, 2
    while name in used:
        suffix = f" {n}"
        name, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def figures_xlsx(figures: ReportFigures) -> bytes:
    """One sheet per table; numbers are numbers (shares in per cent)."""
    _, tables = _tables(figures)
    used: set[str] = set()
    sheets = []
    for table in tables:
        rows = ([_xlsx_value(value) for value in row] for row in table.rows)
        sheets.append(spreadsheets.dataset(table.columns, rows, _sheet_title(table.title, used)))
    book = tablib.Databook(sheets)
    data = book.export("xlsx")
    return data if isinstance(data, bytes) else bytes(data)
