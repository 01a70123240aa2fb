"""Offers in the tertial report (issue 16, "Done when": acceptance times): how many offers
were made, how they were answered, and how long a volunteer took to accept ("I de flesta
fall har stödperson varit utsedd och accepterat uppdraget inom ett dygn", the seed report).

Definitions:
- An offer is *made* on the day of offered_at; *accepted* or *declined* on the day of
  answered_at, counted by its status now (an acceptance later turned into a no counts as
  declined); *expired* on the day of expires_at when it was never answered and its time had
  run out by the end of the as-of day.
- The acceptance time is answered_at - offered_at, in hours (wall-clock hours: a volunteer
  answers in the evening and at weekends too); the median over the period's acceptances,
  and the share accepted within 24 hours.

One query for any number of periods (load_offers), then pure counting here. A count or
median of so few acceptances that a patient's request could be recognised is hidden by the
report's one small-count rule (presentation.py): each acceptance is one patient's request.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from typing import NamedTuple, TypedDict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Offer
from clients.models import Programme

from .tables import Protector, Share, Table, Value

DAY_HOURS = 24


class OfferFigures(TypedDict):
    offered: int
    accepted: int
    declined: int
    expired: int
    median_hours_to_accept: float | None
    accepted_within_day_share: float | None


class OfferRow(NamedTuple):
    offered_at: datetime
    answered_at: datetime | None
    expires_at: datetime
    status: str


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def load_offers(programme: Programme, first: date, last: date) -> list[OfferRow]:
    """The programme's offers that may count in a period from `first` to `last`: one query."""
    start, end = _midnight(first), _midnight(last + timedelta(days=1))
    return [
        OfferRow(*row)
        for row in Offer.objects.filter(
            request__client__unit__programme=programme, offered_at__lt=end
        )
        .filter(Q(offered_at__gte=start) | Q(answered_at__gte=start) | Q(expires_at__gte=start))
        .values_list("offered_at", "answered_at", "expires_at", "status")
        .order_by()
    ]


def offer_figures(rows: list[OfferRow], *, first: date, last: date) -> OfferFigures:
    """The figures of the period from `first` to its as-of day `last`."""

    def within(moment: datetime | None) -> bool:
        return moment is not None and first <= timezone.localdate(moment) <= last

    end = _midnight(last + timedelta(days=1))
    hours = sorted(
        (row.answered_at - row.offered_at).total_seconds() / 3600
        for row in rows
        if row.status == Offer.Status.ACCEPTED
        and within(row.answered_at)
        and row.answered_at is not None
    )
    never_answered = (Offer.Status.OPEN, Offer.Status.EXPIRED)
    return {
        "offered": sum(1 for row in rows if within(row.offered_at)),
        "accepted": len(hours),
        "declined": sum(
            1 for row in rows if row.status == Offer.Status.DECLINED and within(row.answered_at)
        ),
        "expired": sum(
            1
            for row in rows
            if row.status in never_answered and within(row.expires_at) and row.expires_at <= end
        ),
        "median_hours_to_accept": round(statistics.median(hours), 1) if hours else None,
        "accepted_within_day_share": (
            round(100 * sum(1 for h in hours if h <= DAY_HOURS) / len(hours), 1) if hours else None
        ),
    }


def offers_table(figures: OfferFigures | None, protect: Protector) -> Table | None:
    """The report's table of offers; None for figures computed before offers existed."""
    if figures is None:
        return None
    accepted = figures["accepted"]
    few = protect.count(accepted) != accepted
    median: Value = protect.hidden() if few else figures["median_hours_to_accept"]
    within_day = figures["accepted_within_day_share"]
    share: Value = None if within_day is None else Share(within_day)
    return Table(
        key="offers",
        title=_("Offers to support persons"),
        columns=[_("Figure"), _("Number")],
        rows=[
            [_("Offers made"), figures["offered"]],
            [_("Accepted offers"), protect.count(accepted)],
            [_("Declined offers"), figures["declined"]],
            [_("Expired without an answer"), figures["expired"]],
            [_("Median hours from offer to acceptance"), median],
            [
                _("Accepted within 24 hours"),
                protect.hidden() if few else share,
            ],
        ],
        note=_("Hours on the clock, from the offer to the volunteer's acceptance."),
    )
