"""The shape of a tertial report's figures: what `figures.compute_figures` returns and a
final report stores as JSON on `TertialReport.figures`.

The stored JSON is an official record: a final report renders from it for ever, so these
types describe it as it is, key for key, and must not change for old reports to keep
rendering the same. Dates are ISO strings; counts by gender are keyed by `Gender` values.

A period's headline figures (the ones shown beside the previous tertial and the same
tertial a year earlier) are stored for the comparison periods as one flat object with
"section.key" names (`StoredHeadline`). That form is written and read only here: the rest
of the code reads a `Headline`, the same figures by section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, NotRequired, TypedDict, cast

from .offer_figures import OfferFigures


@dataclass(frozen=True)
class Span:
    """The days a period's figures are counted over."""

    first: date
    last: date  # the as-of day
    end: date  # the period's own last day

    def contains(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last


# Counts of support persons by gender ("woman", "man", "other": clients.models.Gender).
GenderCounts = dict[str, int]

# The flows of the pool that are counted by locality and gender.
Flow = Literal["active", "recruited", "reactivated", "deactivated"]
FLOWS: list[Flow] = ["active", "recruited", "reactivated", "deactivated"]


class AssignmentFigures(TypedDict):
    active_at_start: int
    appointed: int
    released: int
    active_at_end: int
    released_by_reason: dict[str, int]  # Assignment.EndReason value -> count


class LateRequest(TypedDict):
    working_days: int
    reason: str
    excused: bool


class RequestFigures(TypedDict):
    target_working_days: int
    received: int
    withdrawn: int
    answered: int
    median_working_days: float | None
    within_one: int
    within_one_share: float | None
    within_target: int
    within_target_share: float | None
    missed: int
    excused: int
    waiting_late_at_end: int
    distribution: dict[str, int]  # working days ("0", "1", ..., "5+") -> requests
    late: list[LateRequest]


class LocalityFlows(TypedDict):
    locality: str
    active: GenderCounts
    recruited: GenderCounts
    reactivated: GenderCounts
    deactivated: GenderCounts


class SupportPersonFigures(TypedDict):
    opening: int
    recruited: int
    reactivated: int
    deactivated: int
    closing: int
    difference: int
    register_closing: int
    by_locality: list[LocalityFlows]


class EventLocality(TypedDict):
    locality: str
    registered: int
    attended: int | None  # None unless the event was held
    active: int
    rate: float | None


class EventFigures(TypedDict):
    date: str
    title: str
    kind: str  # TrainingEvent.Kind value
    locality: str
    status: str  # TrainingEvent.Status value
    cancel_reason: str
    min_registrations: int
    registered: int
    attended: int
    localities: list[EventLocality]


class ActivityFigures(TypedDict):
    held: int
    cancelled: int
    planned: int
    registered_held: int
    attended_held: int
    events: list[EventFigures]


class ForumVisit(TypedDict):
    date: str
    forum: str


class CollaborationFigures(TypedDict):
    count: int
    forums: list[str]
    activities: list[ForumVisit]


class DeviationCounts(TypedDict):
    opened: int
    closed: int
    open_at_end: int


class PersonalAssistanceFigures(TypedDict):
    clients: int
    with_support_person: int
    support_person_share: float | None
    with_duties: int
    with_current_plan: int
    plan_share: float | None
    documentation_clients: int
    documented_every_month: int
    documented_every_month_share: float | None
    deviations_opened: int
    deviations_closed: int
    deviations_open_at_end: int
    deviations_by_category: dict[str, DeviationCounts]  # Deviation.Category value -> counts


class BasisCounts(TypedDict):
    """Assignments of patients with one legal basis (legal_basis_figures.py)."""

    appointed: int
    released: int
    active_at_end: int


class LegalBasisFigures(TypedDict):
    # Client.LegalBasis value ("lpt", "lrv", "sml"; "" not recorded) -> counts.
    by_basis: dict[str, BasisCounts]
    # SupportRequest.WithdrawalKind value -> requests closed so in the period.
    request_outcomes: dict[str, int]


class PeriodFigures(TypedDict):
    first_day: str
    last_day: str
    as_of: str
    assignments: AssignmentFigures
    requests: RequestFigures
    support_persons: SupportPersonFigures
    activities: ActivityFigures
    collaboration: CollaborationFigures
    personal_assistance: PersonalAssistanceFigures | None  # personal assistance only
    offers: NotRequired[OfferFigures]  # reports/offer_figures.py; absent from older figures
    # The patient committee's contacts (contact_figures.ContactFigures); absent from the
    # figures stored before issue #16.
    contacts: NotRequired[Mapping[str, object] | None]
    # The patient committee's figures by legal basis; absent from reports stored before.
    legal_basis: NotRequired[LegalBasisFigures]


class ProgrammeInfo(TypedDict):
    id: int
    name: str
    slug: str
    kind: str  # Programme.Kind value
    organisation: str
    request_target_working_days: int


class PeriodInfo(TypedDict):
    year: int
    tertial: int
    label: str
    slug: str
    first_day: str
    last_day: str
    as_of: str


# "section.key" -> value: the headline figures of a comparison period, as stored.
StoredHeadline = dict[str, int | float | None]


class Comparison(TypedDict):
    label: str
    figures: StoredHeadline


class Comparisons(TypedDict):
    previous: Comparison
    last_year: Comparison


class ReportFigures(TypedDict):
    version: int
    programme: ProgrammeInfo
    period: PeriodInfo
    min_group_size: int
    current: PeriodFigures
    comparisons: Comparisons


# --- Headline figures ------------------------------------------------------------------------
# The scalar figures of a period, by section. A stored headline is read with .get, so a
# figure it lacks reads as None.


class AssignmentHeadline(TypedDict):
    active_at_start: int | None
    appointed: int | None
    released: int | None
    active_at_end: int | None


class RequestHeadline(TypedDict):
    received: int | None
    answered: int | None
    withdrawn: int | None
    median_working_days: float | None
    within_one_share: float | None
    within_target_share: float | None
    missed: int | None
    excused: int | None
    waiting_late_at_end: int | None


class SupportPersonHeadline(TypedDict):
    opening: int | None
    recruited: int | None
    reactivated: int | None
    deactivated: int | None
    closing: int | None


class ActivityHeadline(TypedDict):
    held: int | None
    cancelled: int | None
    registered_held: int | None
    attended_held: int | None


class CollaborationHeadline(TypedDict):
    count: int | None


class PersonalAssistanceHeadline(TypedDict):
    clients: int | None
    with_duties: int | None
    documentation_clients: int | None
    support_person_share: float | None
    plan_share: float | None
    documented_every_month_share: float | None
    deviations_opened: int | None
    deviations_closed: int | None
    deviations_open_at_end: int | None


class Headline(TypedDict):
    assignments: AssignmentHeadline
    requests: RequestHeadline
    support_persons: SupportPersonHeadline
    activities: ActivityHeadline
    collaboration: CollaborationHeadline
    personal_assistance: PersonalAssistanceHeadline  # all None outside personal assistance


# The sections in the order they are stored; each one's figures in the order of its type.
_HEADLINE_SECTIONS: dict[str, type] = {
    "assignments": AssignmentHeadline,
    "requests": RequestHeadline,
    "support_persons": SupportPersonHeadline,
    "activities": ActivityHeadline,
    "collaboration": CollaborationHeadline,
    "personal_assistance": PersonalAssistanceHeadline,
}
HEADLINE_KEYS: list[tuple[str, str]] = [
    (section, key) for section, kind in _HEADLINE_SECTIONS.items() for key in kind.__annotations__
]


def stored_headline(block: PeriodFigures) -> StoredHeadline:
    """The headline figures of a period as they are stored: "section.key" -> value, a
    section left out where the period has none (personal assistance elsewhere)."""
    sections = cast(dict[str, dict[str, int | float | None] | None], block)
    result: StoredHeadline = {}
    for section, key in HEADLINE_KEYS:
        values = sections.get(section)
        if values is not None:
            result[f"{section}.{key}"] = values.get(key)
    return result


def headline(stored: StoredHeadline) -> Headline:
    """A stored headline by section."""
    sections: dict[str, dict[str, int | float | None]] = {}
    for section, key in HEADLINE_KEYS:
        sections.setdefault(section, {})[key] = stored.get(f"{section}.{key}")
    return cast(Headline, sections)
