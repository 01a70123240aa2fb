"""The tables of a report and their cells: the values a cell holds, how it reads, and the
small-count protection (presentation.py says what it protects)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format


class Share(float):
    """A per cent value (shown "93,5 %")."""


@dataclass(frozen=True)
class Suppressed:
    """A value hidden because its group is too small."""

    text: str

    def __str__(self) -> str:
        return self.text


Value = int | float | str | Share | Suppressed | None


def is_number(value: Value) -> bool:
    """Numbers, and the marks that stand in for them, are right-aligned."""
    return value is None or isinstance(value, int | float | Share | Suppressed)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Value]]
    note: str = ""

    @property
    def header(self) -> list[tuple[str, bool]]:
        """Each column's title, and whether it holds numbers (beyond the first column)."""
        return [
            (column, i > 0 and bool(self.rows) and all(is_number(row[i]) for row in self.rows))
            for i, column in enumerate(self.columns)
        ]


def format_value(value: Value) -> str:
    """How a cell reads in the report (Swedish number format under the Swedish locale)."""
    if value is None:
        return "–"
    if isinstance(value, Suppressed):
        return value.text
    if isinstance(value, Share):
        return f"{number_format(round(float(value), 1), decimal_pos=1)} %".replace(",0 %", " %")
    if isinstance(value, float):
        return number_format(value, decimal_pos=0 if value.is_integer() else 1)
    return str(value)


class Protector:
    """Applies the small-count rule and remembers whether it hid anything."""

    def __init__(self, min_group_size: int) -> None:
        self.min_group_size = min_group_size
        self.used = False

    def count(self, n: int | None) -> Value:
        if n is not None and 0 < n < self.min_group_size:
            self.used = True
            return Suppressed(f"< {self.min_group_size}")
        return n

    def share(self, value: float | None, group: int | None) -> Value:
        if value is None:
            return None
        if group is not None and group < self.min_group_size:
            self.used = True
            return Suppressed("–*")
        return Share(value)
