"""Measuring the configured database: every part, as `bench --in-place` runs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

from .bench import LOAD_SECONDS
from .load import measure_load
from .pages import measure_checks, measure_figures, measure_pages, measure_pdf

PARTS = ("pages", "checks", "figures", "pdf", "load")


def measure(
    *,
    parts: list[str],
    quick: bool = False,
    repeat: int | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Measure the configured database, which seed_demo --clients N has filled."""
    from clients.models import Client

    pages_repeat = repeat or (3 if quick else 30)
    result: dict[str, Any] = {
        "clients": Client.objects.count(),
        "database": database_version(),
        "parts": parts,
    }
    if "pages" in parts:
        log("Pages:")
        result["pages"] = measure_pages(repeat=pages_repeat, warmup=1 if quick else 3, log=log)
    if "checks" in parts:
        log("Checks:")
        result["checks"] = measure_checks(repeat=1 if quick else 9, warmup=1, log=log)
    if "figures" in parts:
        log("Tertial figures:")
        result["figures"] = measure_figures(repeat=1 if quick else 3, log=log)
    if "pdf" in parts:
        log("PDF:")
        result["pdf"] = measure_pdf(repeat=1 if quick else 3, log=log)
    if "load" in parts:
        log("Load:")
        result["load"] = measure_load(seconds=2 if quick else LOAD_SECONDS, log=log)
    return result


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"
