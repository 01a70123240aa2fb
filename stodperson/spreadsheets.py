"""Every CSV and XLSX file the application writes goes through here, so one rule keeps free
text from running as a formula (CSV injection, OWASP): a cell that a spreadsheet would read as
a formula (starting with =, +, -, @, a tab or a line break) is prefixed with an apostrophe, and
shows as the text it is. A plain number ("-3", "12,5 %") is no formula and stays as it is."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

import tablib

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:\s?%)?")


def defuse(value: Any) -> Any:
    """The value as a spreadsheet cell that cannot be a formula; anything but text as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def defused(row: Iterable[Any]) -> list[Any]:
    return [defuse(value) for value in row]


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class CsvWriter:
    """csv.writer that defuses every cell it writes."""

    def __init__(self, out: Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(defused(row))


def csv_writer(out: Writable, **options: Any) -> CsvWriter:
    return CsvWriter(out, **options)


def dataset(headers: Iterable[Any], rows: Iterable[Iterable[Any]], title: str) -> tablib.Dataset:
    """A tablib sheet (for CSV or XLSX) with every cell, headers too, defused."""
    data = tablib.Dataset(headers=defused(headers), title=title)
    for row in rows:
        data.append(defused(row))
    return data
