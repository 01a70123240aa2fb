"""manage.py seed_demo: synthetic data for the whole site, at one of three sizes (demo/).

manage.py seed_demo                          the demo: both programmes, a login for each role,
                                             two years of history; does nothing if it is there
manage.py seed_demo --size region            20,000 clients, everything else in proportion
manage.py seed_demo --size national          100,000 clients
manage.py seed_demo --clients 2000           an exact number of clients (the benchmark's sizes)
manage.py seed_demo --size region --reset    empty the data tables first (else it refuses)
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.build import DemoError
from demo.logins import DEMO_LOGINS
from demo.scale import (
    ADMIN_USERNAME,
    DEFAULT_SEED,
    MANAGER_USERNAME,
    PERSONA_PASSWORD,
    SIZES,
    SMALL,
    SUPPORT_USERNAME,
    scale_create,
)
from demo.small import demo_counts, demo_create


class Command(BaseCommand):
    help = (
        "Fyller databasen med syntetiska data. --size small (standard): demodata med två års "
        "historik för båda verksamheterna, och skriver ut demo-inloggningarna; gör ingenting "
        "om demodata redan finns. --size region (20 000 klienter) eller national (100 000), "
        "eller --clients N: en stor datamängd för prestandamätningen (manage.py bench)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--size",
            choices=[SMALL, *SIZES],
            help=f"{SMALL} (default): the demo; "
            + ", ".join(f"{name}: {clients:,} clients" for name, clients in SIZES.items()),
        )
        parser.add_argument(
            "--clients",
            type=int,
            help="An exact number of clients for the large data set; everything else scales "
            "with it (the benchmark's sizes).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Large data set: empty the data tables first (programmes, duty templates "
            "and users stay); without it a database that holds data is refused.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        size, clients = options["size"], options["clients"]
        if clients is None and size in (None, SMALL):
            if options["reset"]:
                raise CommandError("--reset goes with --size region or national, or --clients.")
            self._small(seed=options["seed"])
            return
        if size == SMALL:
            raise CommandError("--clients goes with --size region or national.")
        self._large(
            clients=clients if clients is not None else SIZES[size or "region"],
            seed=options["seed"],
            reset=options["reset"],
        )

    def _small(self, *, seed: int) -> None:
        started = time.monotonic()
        try:
            result = demo_create(seed=seed)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if result is None:
            self.stdout.write(self.style.WARNING("Demodata finns redan; ingenting ändrades."))
            counts, existing = demo_counts(), []
        else:
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"Demodata skapad på {elapsed:.1f} s."))
            counts, existing = result.counts, result.existing_users
        self.stdout.write("")
        width = max(len(label) for label, _ in counts)
        for label, count in counts:
            self.stdout.write(f"  {label:<{width}}  {count:>6}")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo-inloggningar:"))
        self.stdout.write(f"  {'Användarnamn':<20} {'Lösenord':<17} Roll")
        for login in DEMO_LOGINS:
            note = " (fanns redan: lösenordet ändrades inte)" if login.username in existing else ""
            self.stdout.write(f"  {login.username:<20} {login.password:<17} {login.role}{note}")

    def _large(self, *, clients: int, seed: int, reset: bool) -> None:
        started = time.monotonic()
        self.stdout.write(f"Building {clients} clients ...")
        try:
            result = scale_create(clients=clients, seed=seed, reset=reset, log=self.stdout.write)
        except DemoError as error:
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
