"""What every app's Celery tasks share: the retry policy of a task, and `enqueue`, which
sends a task from a request without ever letting a broker that is down break the page.

A database that is briefly away (a restart, a failover) makes a task retry with an
exponential backoff. Code that enqueues from a request uses `enqueue`, which sends after
the commit and logs a failure to send.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import kombu.exceptions
import redis.exceptions
from celery import Task, current_app
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

# OperationalError (the database went away) is a DatabaseError.
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}

# What publishing raises when the broker cannot be reached: kombu wraps the transport's
# error in its OperationalError; a refused socket is an OSError.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)


def task_day(today: str | None) -> date | None:
    """Task arguments travel as JSON, so a date comes as "YYYY-MM-DD"."""
    return date.fromisoformat(today) if today else None


def enqueue(task: Task[Any, Any] | str, *args: Any) -> None:
    """Send the task once the current transaction commits (so the worker sees the data),
    and never let a broker that is down break the caller: log it instead. The nightly run
    catches up whatever was not sent. A task may be given by its name, so that a service
    need not import the tasks module that imports it."""

    def send() -> None:
        found = current_app.tasks[task] if isinstance(task, str) else task
        try:
            # No publish retries: a page must not hang waiting for a broker that is down.
            found.apply_async(args=args, retry=False)
        except BROKER_ERRORS:
            logger.exception("Could not enqueue %s: the broker cannot be reached", found.name)

    transaction.on_commit(send)
