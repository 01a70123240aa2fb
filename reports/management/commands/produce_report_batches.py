"""Produce the report batches still waiting (when their Celery task was never sent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reports.batches import produce_waiting_batches


class Command(BaseCommand):
    help = "Produce the report batches that are still waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        count = produce_waiting_batches()
        self.stdout.write(f"{count} batch(es) produced.")
