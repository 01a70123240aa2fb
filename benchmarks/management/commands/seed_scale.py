"""manage.py seed_scale: a large, realistic data set for the benchmark (benchmarks/scale.py).

manage.py seed_scale                      20,000 clients, and everything else in proportion
manage.py seed_scale --clients 2000       a tenth of that
manage.py seed_scale --reset              empty the data tables first (else it refuses)
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from benchmarks.scale import (
    ADMIN_USERNAME,
    DEFAULT_CLIENTS,
    DEFAULT_SEED,
    MANAGER_USERNAME,
    PERSONA_PASSWORD,
    SUPPORT_USERNAME,
    ScaleError,
    seed_scale,
)


class Command(BaseCommand):
    help = (
        "Build a large synthetic data set (default 20,000 clients, 6,000 support persons, "
        "25,000 assignments, about a million duty checks) for the benchmark."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--clients",
            type=int,
            default=DEFAULT_CLIENTS,
            help=f"Number of clients; everything else scales with it (default {DEFAULT_CLIENTS}).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the data tables first (programmes, duty templates and users stay).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write(f"Building {options['clients']} clients ...")
        try:
            result = seed_scale(
                clients=options["clients"],
                seed=options["seed"],
                reset=options["reset"],
                log=self.stdout.write,
            )
        except ScaleError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))
        width = max(len(label) for label, _ in result.counts)
        for label, count in result.counts:
            self.stdout.write(f"  {label:<{width}}  {count:>9}")
        self.stdout.write(
            f"Personas ({PERSONA_PASSWORD}): {ADMIN_USERNAME}, {MANAGER_USERNAME}, "
            f"{SUPPORT_USERNAME}"
        )
