"""The change histories (django-simple-history) the audit page reads, and how a row of
each leads to the person it is about. Each app registers its own when it is ready: the
audit app stands below them all and never imports them."""

from __future__ import annotations

from typing import Any

from django.db import models

# Subject (ReadLogEntry.Subject) -> [(historical model, the field holding the person's id)]
HISTORIES: dict[str, list[tuple[Any, str]]] = {}


def register_history(subject: str, history: type[models.Model], person_field: str) -> None:
    entry = (history, person_field)
    if entry not in HISTORIES.setdefault(subject, []):
        HISTORIES[subject].append(entry)
