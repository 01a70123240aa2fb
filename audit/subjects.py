"""What the audit page needs to know of the persons in the log, from the apps that keep
them: the change histories (django-simple-history) with the field that leads from a row to
its person, and how to name a person for the one looking. Each app registers its own when
it is ready: the audit app stands below them all and never imports them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

# Subject (ReadLogEntry.Subject) -> [(historical model, the field holding the person's id)]
HISTORIES: dict[str, list[tuple[Any, str]]] = {}
# Subject -> (ids, the user looking) -> {id: the name as that user may see it}
Namer = Callable[[Iterable[int], User | AnonymousUser], dict[int, str]]
NAMERS: dict[str, Namer] = {}


def register_history(subject: str, history: Any, person_field: str) -> None:
    entry = (history, person_field)
    if entry not in HISTORIES.setdefault(subject, []):
        HISTORIES[subject].append(entry)


def register_namer(subject: str, namer: Namer) -> None:
    NAMERS[subject] = namer


def names(
    pairs: Iterable[tuple[str, int]], user: User | AnonymousUser
) -> dict[tuple[str, int], str]:
    """The names of the persons behind (subject, id) pairs, as `user` may see them: a
    fixed number of queries, whatever the number of pairs."""
    wanted: dict[str, set[int]] = {}
    for subject, pk in pairs:
        wanted.setdefault(subject, set()).add(pk)
    found: dict[tuple[str, int], str] = {}
    for subject, ids in wanted.items():
        if subject in NAMERS:
            found.update(((subject, pk), name) for pk, name in NAMERS[subject](ids, user).items())
    return found
