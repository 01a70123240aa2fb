"""The figures of a tertial report, computed from dated history, never from today's state.

`compute_figures(programme, tertial)` is a pure read: a fixed number of queries whatever the
size of the data (rows are fetched with values_list and counted here, where the Swedish
working-day calendar is), and a JSON-serialisable dict that a final report stores as it is.

Definitions (domain.md, "The tertial report"):

- A period runs from its first day to its *as-of* day: its last day, or today for a tertial
  that has not ended. Flows count events on days in the period; stocks are taken "at the
  start" (the day before the first day) and "at the end" (the as-of day).
- An assignment is active on a day when started_on <= day < ended_on (Assignment.is_active_on):
  released on the last day means not active at the end.
- A request is answered by the assignment made from it, on the assignment's started_on (the
  appointment, as assignments.services.request_appoint records it). It is on time when that
  day is not after the deadline, and the working days shown are those used, both by the one
  request clock (assignments.clock: day 0 is the day received, pauses do not count). A late
  request is *excused* when delay_excused is set (the patient could not take a position),
  otherwise a *miss*. A withdrawn request is neither.
- Support persons: a person is in the pool (active or paused) on a day by the latest
  StatusChange on or before it; before a person's first StatusChange, by their
  recruited_on/deactivated_on dates (recruited_on <= day < deactivated_on). So
  deactivated_on is the first inactive day. Flows are the changes of that state inside the
  period: the person's first entry into the pool is a recruitment, a later one a
  reactivation (a third flow), a leaving a deactivation; a person who comes and goes on the
  same day never changes state and is not counted. opening + recruited + reactivated -
  deactivated = closing is checked, and the closing stock is checked against the dates
  alone (SupportPerson.active_on), which differ where the history holds a reactivation.
  Locality and gender are the person's current ones.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from assignments.clock import (
    RequestClock,
    RequestState,
    is_waiting_on,
    pauses_as_of,
    request_clock,
)
from assignments.models import Assignment, RequestPause, SupportRequest
from clients.models import Client, Deviation, Programme
from duties.coverage import PeriodCoverage, coverage_over_periods
from stodperson import workdays
from stodperson.tertials import Tertial
from supportpersons.models import (
    CollaborationActivity,
    Registration,
    StatusChange,
    SupportPerson,
    TrainingEvent,
)

from .contact_figures import ContactData, contact_figures, load_contacts
from .figure_types import (
    ActivityFigures,
    AssignmentFigures,
    CollaborationFigures,
    DeviationCounts,
    EventFigures,
    EventLocality,
    LateRequest,
    PeriodFigures,
    PersonalAssistanceFigures,
    ReportFigures,
    RequestFigures,
    Span,
    stored_headline,
)
from .legal_basis_figures import add_legal_basis_figures
from .offer_figures import OfferRow, load_offers, offer_figures
from .pool import Person, support_persons, swedish_sort_key

FIGURES_VERSION = 1

# The comparison periods, in the order the report shows them.
CURRENT: Final = "current"
PREVIOUS: Final = "previous"
LAST_YEAR: Final = "last_year"

_ONE_DAY = timedelta(days=1)


def share(part: int, whole: int) -> float | None:
    """Per cent with one decimal; None (shown as "–") when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Assignments and requests --------------------------------------------------------------


def _assignments(rows: list[tuple[date, date | None, str]], span: Span) -> AssignmentFigures:
    def active_on(day: date) -> int:
        return sum(1 for s, e, _ in rows if s <= day and (e is None or e > day))

    released = [reason for _, e, reason in rows if span.contains(e)]
    return {
        "active_at_start": active_on(span.first - _ONE_DAY),
        "appointed": sum(1 for s, _, _ in rows if span.contains(s)),
        "released": len(released),
        "active_at_end": active_on(span.last),
        "released_by_reason": dict(sorted(Counter(released).items())),
    }


@dataclass(frozen=True)
class _Request:
    received_on: date
    withdrawn_on: date | None
    late_reason: str
    delay_excused: bool
    answered_on: date | None
    pauses: tuple[workdays.Pause, ...]

    def clock(self, target: int, today: date) -> RequestClock:
        """The clock as it stood on `today`, from the pauses recorded by then."""
        return request_clock(
            received_on=self.received_on,
            pauses=pauses_as_of(self.pauses, today),
            target=target,
            today=today,
            answered_on=self.answered_on,
            withdrawn_on=self.withdrawn_on,
            delay_excused=self.delay_excused,
        )

    def clock_as_answered(self, target: int) -> RequestClock:
        """The clock on the day of the answer (SupportRequest.clock_if_answered_on)."""
        assert self.answered_on is not None
        return request_clock(
            received_on=self.received_on,
            pauses=self.pauses,
            target=target,
            today=self.answered_on,
            answered_on=self.answered_on,
            delay_excused=self.delay_excused,
        )


def _requests(requests: list[_Request], target: int, span: Span) -> RequestFigures:
    answered = [r for r in requests if span.contains(r.answered_on)]
    elapsed: list[int] = []
    within_one = within_target = 0
    late: list[LateRequest] = []
    for request in answered:
        clock = request.clock_as_answered(target)
        elapsed.append(clock.working_days_used)
        within_one += request.clock_as_answered(1).state is RequestState.ANSWERED_IN_TIME
        if clock.state is RequestState.ANSWERED_IN_TIME:
            within_target += 1
        else:
            late.append(
                {
                    "working_days": clock.working_days_used,
                    "reason": request.late_reason.strip(),
                    "excused": clock.state is RequestState.EXCUSED,
                }
            )
    waiting = [
        r
        for r in requests
        if r.received_on <= span.last
        and is_waiting_on(span.last, answered_on=r.answered_on, withdrawn_on=r.withdrawn_on)
    ]
    waiting_late = sum(r.clock(target, span.last).state is RequestState.LATE for r in waiting)
    buckets = [str(n) for n in range(target + 2)] + [f"{target + 2}+"]
    distribution = dict.fromkeys(buckets, 0)
    for days in elapsed:
        distribution[buckets[min(days, target + 2)]] += 1
    late.sort(key=lambda row: (-row["working_days"], row["excused"], row["reason"]))
    return {
        "target_working_days": target,
        "received": sum(1 for r in requests if span.contains(r.received_on)),
        "withdrawn": sum(1 for r in requests if span.contains(r.withdrawn_on)),
        "answered": len(answered),
        "median_working_days": statistics.median(elapsed) if elapsed else None,
        "within_one": within_one,
        "within_one_share": share(within_one, len(answered)),
        "within_target": within_target,
        "within_target_share": share(within_target, len(answered)),
        "missed": sum(1 for row in late if not row["excused"]),
        "excused": sum(1 for row in late if row["excused"]),
        "waiting_late_at_end": waiting_late,
        "distribution": distribution,
        "late": late,
    }


# --- Activities and collaboration ----------------------------------------------------------


def _activities(
    events: list[tuple[int, str, str, str, date, str, str, int]],
    registrations: dict[int, dict[str, tuple[int, int]]],
    people: list[Person],
    span: Span,
) -> ActivityFigures:
    rows: list[EventFigures] = []
    for event_id, title, kind, locality, on, status, cancel_reason, minimum in events:
        if not span.first <= on <= span.end:
            continue
        by_locality = dict(registrations.get(event_id, {}))
        by_locality.setdefault(locality, (0, 0))
        localities = sorted(
            by_locality, key=lambda name: (name != locality, swedish_sort_key(name))
        )
        is_held = status == TrainingEvent.Status.HELD
        per_locality: list[EventLocality] = []
        for name in localities:
            registered, attended = by_locality[name]
            active = sum(1 for p in people if p.locality == name and p.in_pool(on))
            per_locality.append(
                {
                    "locality": name,
                    "registered": registered,
                    "attended": attended if is_held else None,
                    "active": active,
                    "rate": share(attended, active) if is_held else None,
                }
            )
        rows.append(
            {
                "date": on.isoformat(),
                "title": title,
                "kind": kind,
                "locality": locality,
                "status": status,
                "cancel_reason": cancel_reason,
                "min_registrations": minimum,
                "registered": sum(r["registered"] for r in per_locality),
                "attended": sum(r["attended"] or 0 for r in per_locality),
                "localities": per_locality,
            }
        )
    held = [r for r in rows if r["status"] == TrainingEvent.Status.HELD]
    return {
        "held": len(held),
        "cancelled": sum(1 for r in rows if r["status"] == TrainingEvent.Status.CANCELLED),
        "planned": sum(1 for r in rows if r["status"] == TrainingEvent.Status.PLANNED),
        "registered_held": sum(r["registered"] for r in held),
        "attended_held": sum(r["attended"] for r in held),
        "events": rows,
    }


def _collaboration(rows: list[tuple[date, str]], span: Span) -> CollaborationFigures:
    inside = [(on, forum) for on, forum in rows if span.contains(on)]
    forums: list[str] = []
    for _, forum in inside:
        if forum not in forums:
            forums.append(forum)
    return {
        "count": len(inside),
        "forums": forums,
        "activities": [{"date": on.isoformat(), "forum": forum} for on, forum in inside],
    }


# --- Personal assistance: coverage and deviations -------------------------------------------


def _deviations(
    rows: list[tuple[str, date, date | None]], span: Span
) -> tuple[DeviationCounts, dict[str, DeviationCounts]]:
    """All deviations' counts, and each category's."""

    def counts(category: str | None) -> DeviationCounts:
        chosen = [r for r in rows if category is None or r[0] == category]
        return {
            "opened": sum(1 for _, occurred, _ in chosen if span.contains(occurred)),
            "closed": sum(1 for _, _, closed in chosen if span.contains(closed)),
            "open_at_end": sum(
                1
                for _, occurred, closed in chosen
                if occurred <= span.last and (closed is None or closed > span.last)
            ),
        }

    return counts(None), {c.value: counts(c.value) for c in Deviation.Category}


# --- Loading and assembling ------------------------------------------------------------------


@dataclass
class _Data:
    assignments: list[tuple[date, date | None, str]]
    requests: list[_Request]
    people: list[Person]
    events: list[tuple[int, str, str, str, date, str, str, int]]
    registrations: dict[int, dict[str, tuple[int, int]]]
    collaboration: list[tuple[date, str]]
    deviations: list[tuple[str, date, date | None]]
    offers: list[OfferRow]
    contacts: ContactData | None = None  # the patient committee's (contact_figures.py)


def _load(programme: Programme, first: date, last: date) -> _Data:
    """Nine queries (the patient committee, with its offers; nine for personal assistance,
    without), whatever the size of the data."""
    clients = Client.objects.filter(unit__programme=programme)
    assignments = list(
        Assignment.objects.filter(client__in=clients.values("id"), started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first - _ONE_DAY))
        .values_list("started_on", "ended_on", "end_reason")
        .order_by()
    )
    request_rows = (
        SupportRequest.objects.filter(
            client__in=clients.values("id"), received_at__lt=_local_midnight(last + _ONE_DAY)
        )
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=_local_midnight(first)))
        .filter(Q(assignment__isnull=True) | Q(assignment__started_on__gte=first))
    )
    pauses: dict[int, list[workdays.Pause]] = defaultdict(list)
    for request_id, begin, resume in (
        RequestPause.objects.filter(request__in=request_rows.values("id"))
        .values_list("request_id", "started_on", "ended_on")
        .order_by("started_on", "id")
    ):
        pauses[request_id].append((begin, resume))
    requests = [
        _Request(
            received_on=timezone.localdate(received_at),
            withdrawn_on=timezone.localdate(withdrawn_at) if withdrawn_at else None,
            late_reason=late_reason,
            delay_excused=excused,
            answered_on=answered_on,
            pauses=tuple(pauses.get(request_id, ())),
        )
        for request_id, received_at, withdrawn_at, late_reason, excused, answered_on in (
            request_rows.values_list(
                "id",
                "received_at",
                "withdrawn_at",
                "late_reason",
                "delay_excused",
                "assignment__started_on",
            ).order_by()
        )
    ]
    people = {
        pk: Person(pk, gender, locality, recruited, deactivated)
        for pk, gender, locality, recruited, deactivated in SupportPerson.objects.filter(
            programme=programme
        )
        .values_list("id", "gender", "locality__name", "recruited_on", "deactivated_on")
        .order_by()
    }
    for person_id, status, on in (
        StatusChange.objects.filter(support_person__programme=programme)
        .values_list("support_person_id", "status", "on")
        .order_by("on", "id")
    ):
        people[person_id].changes.append((on, status))
    events = list(
        TrainingEvent.objects.filter(programme=programme, on__gte=first, on__lte=last)
        .values_list(
            "id",
            "title",
            "kind",
            "locality__name",
            "on",
            "status",
            "cancel_reason",
            "min_registrations",
        )
        .order_by("on", "locality__name", "id")
    )
    registrations: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (
        Registration.objects.current()
        .filter(event__programme=programme, event__on__gte=first, event__on__lte=last)
        .values("event_id", "support_person__locality__name")
        .annotate(registered=Count("id"), attended=Count("id", filter=Q(attended=True)))
        .order_by()
    ):
        registrations[row["event_id"]][row["support_person__locality__name"]] = (
            row["registered"],
            row["attended"],
        )
    collaboration = list(
        CollaborationActivity.objects.filter(programme=programme, on__gte=first, on__lte=last)
        .values_list("on", "forum")
        .order_by("on", "id")
    )
    deviations: list[tuple[str, date, date | None]] = []
    if programme.is_personal_assistance:
        deviations = list(
            Deviation.objects.filter(client__in=clients.values("id"), occurred_on__lte=last)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first - _ONE_DAY))
            .values_list("category", "occurred_on", "closed_on")
            .order_by()
        )
    return _Data(
        assignments=assignments,
        requests=requests,
        people=list(people.values()),
        events=events,
        registrations=dict(registrations),
        collaboration=collaboration,
        deviations=deviations,
        # Offers are the patient committee's (assignments/offer_services.py).
        offers=[] if programme.is_personal_assistance else load_offers(programme, first, last),
        contacts=load_contacts(programme, first, last),
    )


def compute_figures(
    programme: Programme, tertial: Tertial, *, today: date | None = None
) -> ReportFigures:
    """The report's figures for `tertial`, beside the previous tertial and the same tertial
    a year earlier. `today` cuts a tertial that has not ended (default: today's date)."""
    return compute_figures_for_tertials(programme, [tertial], today=today)[0]


def _spans(tertial: Tertial, today: date) -> dict[str, Span]:
    periods = {
        CURRENT: tertial,
        PREVIOUS: tertial.previous(),
        LAST_YEAR: tertial.same_last_year(),
    }
    return {
        key: Span(period.first_day, min(period.last_day, today), period.last_day)
        for key, period in periods.items()
    }


def compute_figures_for_tertials(
    programme: Programme, tertials: list[Tertial], *, today: date | None = None
) -> list[ReportFigures]:
    """compute_figures for several tertials of one programme (a year's three, a batch),
    reading the register once for all of them: the same queries as for one tertial."""
    today = today or timezone.localdate()
    all_spans = [_spans(tertial, today) for tertial in tertials]
    data = _load(
        programme,
        min(s.first for spans in all_spans for s in spans.values()),
        max(tertial.last_day for tertial in tertials),
    )
    coverage: dict[tuple[date, date], PeriodCoverage] = {}
    if programme.is_personal_assistance:
        measured = list(
            dict.fromkeys(
                (s.first, s.last)
                for spans in all_spans
                for s in spans.values()
                if s.last >= s.first
            )
        )
        results = coverage_over_periods(Client.objects.filter(unit__programme=programme), measured)
        coverage = dict(zip(measured, results, strict=True))
    reports = [
        _figures(programme, tertial, spans, data, coverage)
        for tertial, spans in zip(tertials, all_spans, strict=True)
    ]
    add_legal_basis_figures(programme, reports, [spans[CURRENT] for spans in all_spans])
    return reports


def _figures(
    programme: Programme,
    tertial: Tertial,
    spans: dict[str, Span],
    data: _Data,
    coverage: dict[tuple[date, date], PeriodCoverage],
) -> ReportFigures:
    blocks = {
        key: _period_figures(programme, span, data, coverage.get((span.first, span.last)))
        for key, span in spans.items()
    }
    previous, last_year = tertial.previous(), tertial.same_last_year()
    return {
        "version": FIGURES_VERSION,
        "programme": {
            "id": programme.pk,
            "name": programme.name,
            "slug": programme.slug,
            "kind": programme.kind,
            "organisation": programme.organisation or settings.ORGANISATION_NAME,
            "request_target_working_days": programme.request_target_working_days,
        },
        "period": {
            "year": tertial.year,
            "tertial": tertial.number,
            "label": tertial.label,
            "slug": tertial.slug,
            "first_day": tertial.first_day.isoformat(),
            "last_day": tertial.last_day.isoformat(),
            "as_of": spans[CURRENT].last.isoformat(),
        },
        "min_group_size": settings.REPORT_MIN_GROUP_SIZE,
        "current": blocks[CURRENT],
        "comparisons": {
            PREVIOUS: {"label": previous.label, "figures": stored_headline(blocks[PREVIOUS])},
            LAST_YEAR: {"label": last_year.label, "figures": stored_headline(blocks[LAST_YEAR])},
        },
    }


def _period_figures(
    programme: Programme, span: Span, data: _Data, coverage: PeriodCoverage | None
) -> PeriodFigures:
    return {
        "first_day": span.first.isoformat(),
        "last_day": span.end.isoformat(),
        "as_of": span.last.isoformat(),
        "assignments": _assignments(data.assignments, span),
        "requests": _requests(data.requests, programme.request_target_working_days, span),
        "support_persons": support_persons(data.people, span),
        "activities": _activities(data.events, data.registrations, data.people, span),
        "collaboration": _collaboration(data.collaboration, span),
        "offers": offer_figures(data.offers, first=span.first, last=span.last),
        "personal_assistance": (
            _personal_assistance(coverage, *_deviations(data.deviations, span))
            if programme.is_personal_assistance
            else None
        ),
        "contacts": contact_figures(data.contacts, span),
    }


def _personal_assistance(
    coverage: PeriodCoverage | None,
    deviations: DeviationCounts,
    by_category: dict[str, DeviationCounts],
) -> PersonalAssistanceFigures:
    # A period that has not begun yet is not measured: no clients, no shares.
    return {
        "clients": coverage.clients if coverage else 0,
        "with_support_person": coverage.with_support_person if coverage else 0,
        "support_person_share": coverage.support_person_share if coverage else None,
        "with_duties": coverage.with_duties if coverage else 0,
        "with_current_plan": coverage.with_current_plan if coverage else 0,
        "plan_share": coverage.plan_share if coverage else None,
        "documentation_clients": coverage.documentation_clients if coverage else 0,
        "documented_every_month": coverage.documented_every_month if coverage else 0,
        "documented_every_month_share": (
            coverage.documented_every_month_share if coverage else None
        ),
        "deviations_opened": deviations["opened"],
        "deviations_closed": deviations["closed"],
        "deviations_open_at_end": deviations["open_at_end"],
        "deviations_by_category": by_category,
    }
