"""The patient committee's figures by legal basis, and its requests closed without an
appointment by outcome (issue 16, item 5), beside the tertial report's other figures.

- Assignments by the patient's legal basis (LPT, LRV, SmL; "" where none is recorded):
  appointed in the period (started_on in it), released in the period (ended_on in it), and
  active at its end (the as-of day, Assignment.is_active_on). Flows over the period, a
  stock on its last day, as figures.py counts the totals, so the rows add up to them. The
  legal basis is the client's current one: the register keeps no dated history of it.
- Requests withdrawn in the period (withdrawn_at on a day in it), by outcome
  (SupportRequest.WithdrawalKind; one withdrawn before outcomes were recorded is "other").

`add_legal_basis_figures` is the hook figures.compute_figures_for_tertials calls: two
queries for any number of tertials. `legal_basis_tables` is the hook presentation.present
calls: the tables for the page, the PDF and the CSV/XLSX, under the small-count rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment, SupportRequest
from clients.models import Client, Programme

from .figure_types import (
    BasisCounts,
    LegalBasisFigures,
    PeriodFigures,
    ReportFigures,
    Span,
)
from .tables import Protector, Table, Value

# The order of the rows: the laws, then what has none recorded.
T = TypeVar("T")
BASES = [Client.LegalBasis.LPT, Client.LegalBasis.LRV, Client.LegalBasis.SML]
NOT_RECORDED = ""

_ONE_DAY = timedelta(days=1)

AssignmentRow = tuple[str, date, date | None]  # legal basis, started_on, ended_on
OutcomeRow = tuple[str, date]  # withdrawal kind, withdrawn on


def _load(
    programme: Programme, first: date, last: date
) -> tuple[list[AssignmentRow], list[OutcomeRow]]:
    """Two queries: the assignments that touch [first - 1 day, last], and the requests
    withdrawn in [first, last]."""
    clients = Client.objects.filter(unit__programme=programme).values("id")
    assignments = list(
        Assignment.objects.filter(client__in=clients, started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first - _ONE_DAY))
        .values_list("client__legal_basis", "started_on", "ended_on")
        .order_by()
    )
    outcomes = [
        (kind or SupportRequest.WithdrawalKind.OTHER, timezone.localdate(withdrawn_at))
        for kind, withdrawn_at in SupportRequest.objects.filter(
            client__in=clients, withdrawn_at__isnull=False
        )
        .filter(
            withdrawn_at__gte=_midnight(first),
            withdrawn_at__lt=_midnight(last + _ONE_DAY),
        )
        .values_list("withdrawal_kind", "withdrawn_at")
        .order_by()
    ]
    return assignments, outcomes


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def legal_basis_figures(
    assignments: Sequence[AssignmentRow], outcomes: Sequence[OutcomeRow], span: Span
) -> LegalBasisFigures:
    by_basis: dict[str, BasisCounts] = {}
    for basis in [*BASES, NOT_RECORDED]:
        rows = [(s, e) for b, s, e in assignments if (b if b in BASES else NOT_RECORDED) == basis]
        by_basis[str(basis)] = {
            "appointed": sum(1 for s, _e in rows if span.contains(s)),
            "released": sum(1 for _s, e in rows if span.contains(e)),
            "active_at_end": sum(
                1 for s, e in rows if s <= span.last and (e is None or e > span.last)
            ),
        }
    # A row for the patients without a legal basis only where there are any to count.
    if not any(by_basis[NOT_RECORDED].values()):
        del by_basis[NOT_RECORDED]
    request_outcomes = {
        str(kind): sum(1 for k, on in outcomes if k == kind and span.contains(on))
        for kind in SupportRequest.WithdrawalKind.values
    }
    return {"by_basis": by_basis, "request_outcomes": request_outcomes}


def add_legal_basis_figures(
    programme: Programme, figures: Sequence[ReportFigures], spans: Sequence[Span]
) -> None:
    """Add the figures by legal basis to each report's current period (patient committee
    only: personal assistance has no legal basis). Two queries for all of them."""
    if programme.kind != Programme.Kind.PATIENT_COMMITTEE or not spans:
        return
    assignments, outcomes = _load(
        programme, min(s.first for s in spans), max(s.last for s in spans)
    )
    for report, span in zip(figures, spans, strict=True):
        report["current"]["legal_basis"] = legal_basis_figures(assignments, outcomes, span)


# --- Presentation ------------------------------------------------------------------------------


def _basis_label(basis: str) -> str:
    if basis == NOT_RECORDED:
        return _("Not recorded")
    return {
        Client.LegalBasis.LPT: "LPT",
        Client.LegalBasis.LRV: "LRV",
        Client.LegalBasis.SML: "SmL",
    }.get(basis, basis)  # type: ignore[call-overload]


def _in_order(stored: Mapping[str, T], order: list[str]) -> dict[str, T]:
    """The stored mapping in the given order of keys, any others after them."""
    return {
        **{key: stored[key] for key in order if key in stored},
        **{key: value for key, value in stored.items() if key not in order},
    }


def legal_basis_tables(current: PeriodFigures, protect: Protector) -> list[Table]:
    """The two tables, or none for a report without these figures (personal assistance, or
    a final report stored before they were counted)."""
    figures = current.get("legal_basis")
    if figures is None:
        return []
    # In the order of BASES, not the stored one: PostgreSQL's jsonb keeps a final report's
    # keys in an order of its own (shorter first), and a frozen report must read the same.
    by_basis = _in_order(figures["by_basis"], [str(b) for b in [*BASES, NOT_RECORDED]])
    columns: dict[str, tuple[list[Value], Value]] = {}
    for column in ("appointed", "released", "active_at_end"):
        # The totals are the key figures' own (presentation.key_figures_table): a total
        # hidden here is hidden there too.
        columns[column] = protect.breakdown(
            [counts[column] for counts in by_basis.values()],  # type: ignore[literal-required]
            column,
        )
    basis_table = Table(
        "assignments_by_legal_basis",
        _("Assignments by legal basis"),
        [
            _("Legal basis"),
            _("Appointed in the period"),
            _("Released in the period"),
            _("Active at the end of the period"),
        ],
        [
            [
                _basis_label(basis),
                columns["appointed"][0][i],
                columns["released"][0][i],
                columns["active_at_end"][0][i],
            ]
            for i, basis in enumerate(by_basis)
        ]
        + [
            [
                _("Total"),
                columns["appointed"][1],
                columns["released"][1],
                columns["active_at_end"][1],
            ]
        ],
        _(
            "The patient's legal basis as recorded now: LPT (SFS 1991:1128), LRV (SFS 1991:1129), "
            "isolation under SmL (SFS 2004:168)."
        ),
    )
    outcomes = _in_order(figures["request_outcomes"], list(SupportRequest.WithdrawalKind.values))
    shown, total = protect.breakdown(list(outcomes.values()), "request_outcomes")
    labels = dict(SupportRequest.WithdrawalKind.choices)
    outcome_table = Table(
        "requests_by_outcome",
        _("Requests closed without appointment, by outcome"),
        [_("Outcome"), _("Requests")],
        [[str(labels.get(kind, kind)), value] for kind, value in zip(outcomes, shown, strict=True)]
        + [[_("Total"), total]],
    )
    return [basis_table, outcome_table]
