"""Template filters for the tertial report's tables."""

from __future__ import annotations

from collections.abc import Sequence

from django import template

from reports.tables import Value, format_value
from reports.tables import is_number as _is_number

register = template.Library()


@register.filter
def cell(value: Value) -> str:
    """A table cell as the report shows it: "–" for nothing, "93,5 %", "< 5"."""
    return format_value(value)


@register.filter
def is_number(value: Value) -> bool:
    """Right-align numbers (and the marks that stand in for them)."""
    return _is_number(value)


@register.filter
def at(items: Sequence[str], index: int) -> str:
    """The item at a position: a cell's column name, its label when the row is a card."""
    return items[index]
