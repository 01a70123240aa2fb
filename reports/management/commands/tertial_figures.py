"""Print a tertial report's figures as JSON: `manage.py tertial_figures --programme SLUG
--period 2022-T3` (for debugging and benchmarks)."""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from clients.models import Programme
from reports.figures import compute_figures
from stodperson.tertials import Tertial


class Command(BaseCommand):
    help = "Print the figures of a tertial report as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help="The programme's short name.")
        parser.add_argument("--period", required=True, help="The tertial, e.g. 2022-T3.")
        parser.add_argument("--today", help="Cut a running tertial at this date (YYYY-MM-DD).")
        parser.add_argument(
            "--stats", action="store_true", help="Also print the query count and the time."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programme = Programme.objects.get(slug=options["programme"])
        except Programme.DoesNotExist as error:
            raise CommandError(
                f"No programme with the short name {options['programme']!r}"
            ) from error
        try:
            period = Tertial.parse(options["period"])
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            figures = compute_figures(programme, period, today=today)
        elapsed = time.perf_counter() - started
        self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
        if options["stats"]:
            self.stderr.write(f"{len(queries.captured_queries)} queries, {elapsed:.3f} s")
