"""The tables of a report and their cells: the values a cell holds, how it reads, and the
small-count protection (presentation.py says what it protects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format, number_format


class Share(float):
    """A per cent value (shown "93,5 %")."""


@dataclass(frozen=True)
class Suppressed:
    """A value hidden because its group is too small."""

    text: str

    def __str__(self) -> str:
        return self.text


Value = int | float | str | Share | Suppressed | date | None


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


def format_value(value: Value, *, in_file: bool = False) -> str:
    """How a cell reads in the report (Swedish number format under the Swedish locale):
    "1 234" with a non-breaking space and "10 feb" for people; in a file (CSV), numbers
    without grouping, which a spreadsheet reads as numbers, and ISO dates."""
    if value is None:
        return "–"
    if isinstance(value, Suppressed):
        return value.text
    if isinstance(value, date):
        return value.isoformat() if in_file else date_format(value, "MONTH_DAY_FORMAT")
    if isinstance(value, Share):
        return f"{number_format(round(float(value), 1), decimal_pos=1)} %".replace(",0 %", " %")
    if isinstance(value, float):
        return number_format(
            value, decimal_pos=0 if value.is_integer() else 1, force_grouping=not in_file
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=not in_file)
    return str(value)


def is_small(n: int | None, min_group_size: int) -> bool:
    """The one small-count rule: a count of clients from 1 to min_group_size - 1 is never
    shown, in a table, a key figure, a chart or a sentence."""
    return n is not None and 0 < n < min_group_size


def recoverable(hidden: list[int], primary: list[bool], total: int, min_group_size: int) -> bool:
    """Whether a hidden small count can be told exactly from a shown total: the hidden cells
    sum to what the total leaves, each small one lies in 1..min_group_size-1 and each other
    one is at least min_group_size; a small one is recoverable when that allows one value."""
    k = min_group_size
    low = [1 if small else k for small in primary]
    high = [k - 1 if small else total for small in primary]
    rest = sum(hidden)
    for i, small in enumerate(primary):
        if not small:
            continue
        others_low = sum(low) - low[i]
        others_high = sum(high) - high[i]
        if max(low[i], rest - others_high) == min(high[i], rest - others_low):
            return True
    return False


class Protector:
    """Applies the small-count rule and remembers whether it hid anything."""

    def __init__(self, min_group_size: int) -> None:
        self.min_group_size = min_group_size
        self.used = False
        self.secondary_used = False
        # Totals that a breakdown had to hide: where else they stand (the key figures), they
        # are hidden too.
        self.hidden_totals: set[str] = set()

    def hidden(self, *, secondary: bool = False) -> Suppressed:
        self.used = True
        if secondary:
            self.secondary_used = True
            return Suppressed("..")
        return Suppressed(f"< {self.min_group_size}")

    def count(self, n: int | None) -> Value:
        if is_small(n, self.min_group_size):
            return self.hidden()
        return n

    def breakdown(self, cells: list[int], name: str = "") -> tuple[list[Value], Value]:
        """Cells and their total (shown in the table or elsewhere, as `name`): the small
        ones hidden (primary suppression), then, while one of them could be told from the
        total by subtraction, the next-smallest cell too (secondary suppression), or else
        the total, here and wherever it is shown."""
        k = self.min_group_size
        total = sum(cells)
        small = [is_small(n, k) for n in cells]
        hide = list(small)
        shown_total: Value = self.count(total)
        if any(hide) and not isinstance(shown_total, Suppressed):
            while recoverable(
                [n for n, h in zip(cells, hide, strict=True) if h],
                [s for s, h in zip(small, hide, strict=True) if h],
                total,
                k,
            ):
                candidates = [i for i, n in enumerate(cells) if not hide[i] and n > 0]
                if not candidates:
                    shown_total = self.hidden(secondary=True)
                    break
                hide[min(candidates, key=lambda i: cells[i])] = True
        if isinstance(shown_total, Suppressed) and name:
            self.hidden_totals.add(name)
        shown: list[Value] = [
            self.hidden(secondary=not s) if h else n
            for n, h, s in zip(cells, hide, small, strict=True)
        ]
        return shown, shown_total

    def related(self, values: list[int | None]) -> list[Value]:
        """Counts bound by an identity (at the start + appointed - released = at the end):
        one hidden alone could be worked out from the others, so the next-smallest is
        hidden with it."""
        k = self.min_group_size
        hide = [is_small(n, k) for n in values]
        if sum(hide) == 1:
            others = [i for i, n in enumerate(values) if not hide[i] and n]
            if others:
                hide[min(others, key=lambda i: values[i] or 0)] = True
        return [
            (self.hidden(secondary=not is_small(n, k)) if h else n)
            for n, h in zip(values, hide, strict=True)
        ]

    def share(self, value: float | None, group: int | None) -> Value:
        if value is None:
            return None
        if group is not None and group < self.min_group_size:
            self.used = True
            return Suppressed("–*")
        return Share(value)
