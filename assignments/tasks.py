"""Celery tasks of assignments: thin wrappers (the beat schedule is in settings)."""

from __future__ import annotations

from celery import shared_task

from stodperson.tasks import RETRY_POLICY

from . import offer_services


@shared_task(name="assignments.tasks.expire_offers", **RETRY_POLICY)
def expire_offers() -> int:
    """Write down the offers that have expired (they already read as expired)."""
    return offer_services.offers_expire()
