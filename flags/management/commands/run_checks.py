"""Run the background checks by hand or from cron: the same functions the Celery tasks call.

manage.py run_checks                          every check, as of today
manage.py run_checks --only request_late      one check (repeat --only for more)
manage.py run_checks --today 2026-06-25       as of another day (tests, back-fills)
manage.py run_checks --digest                 then send the daily digest and the
                                              volunteers' background check notices
"""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from flags import checks, notifications, volunteer_checks
from flags.models import Flag


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Raise and resolve flags (overdue plans, missing documentation, late requests...)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            choices=Flag.Kind.values,
            metavar="KIND",
            help=f"Run only the check of this flag kind ({', '.join(Flag.Kind.values)}).",
        )
        parser.add_argument("--today", type=_iso_date, help="Check as of this date (YYYY-MM-DD).")
        parser.add_argument(
            "--digest", action="store_true", help="Send the daily digest after the checks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: date | None = options["today"]
        for result in checks.run_checks(today=today, only=options["only"]):
            self.stdout.write(str(result))
        if options["digest"]:
            digest = notifications.send_daily_digests(today=today)
            self.stdout.write(
                f"digest: {digest.sent} sent, {digest.nothing_new} with nothing new, "
                f"{digest.already_sent} already sent today, {digest.failed} failed"
            )
            notices = volunteer_checks.send_background_check_notices(today=today)
            self.stdout.write(
                f"background check notices: {notices.sent} sent, "
                f"{notices.already_sent} already sent, {notices.failed} failed"
            )
