"""Retention (gallring) of records that ended long ago. A dry run unless --apply is given.

manage.py apply_retention                       what would be anonymised, as of today
manage.py apply_retention --apply               anonymise it
manage.py apply_retention --years 3 --today 2026-12-31
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from reports.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymise clients and support persons that ended more than N years ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Change data (default: dry run).")
        parser.add_argument("--years", type=int, default=settings.RETENTION_YEARS)
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        result = apply_retention(
            today=options["today"] or timezone.localdate(),
            years=options["years"],
            dry_run=not options["apply"],
        )
        mode = "dry run, nothing changed" if result.dry_run else "applied"
        self.stdout.write(f"Retention as of records ended before {result.cutoff} ({mode}):")
        for name, value in asdict(result).items():
            if isinstance(value, int) and not isinstance(value, bool):
                self.stdout.write(f"  {name}: {value}")
