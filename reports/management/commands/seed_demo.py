"""manage.py seed_demo: demo data for both programmes, with a login for each role."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reports.demo import DEMO_LOGINS, DemoError, demo_counts, demo_create


class Command(BaseCommand):
    help = (
        "Fyller databasen med demodata (två års historik för båda verksamheterna) och "
        "skriver ut demo-inloggningarna. Gör ingenting om demodata redan finns."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = demo_create()
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
