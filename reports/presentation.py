"""The figures as the report shows them: tables, charts and the small-count protection.

The report page, the PDF and the CSV/XLSX exports all read from `present(figures)`, so
what is suppressed in one is suppressed in all. It reads only the figures dict (a final
report's stored one), never the database.

Protection (domain.md, "Privacy obligations"), one rule (tables.is_small) wherever a count of
clients appears (their requests, assignments, releases, deviations; tables, key figures,
charts and the generated text alike): a count from 1 to `min_group_size` - 1
(settings.REPORT_MIN_GROUP_SIZE, stored with the figures) reads "< 5", a share or median of so
small a group "–*". Where cells add up to a total shown in the report, the next-smallest cell
(or else the total, wherever it stands) reads ".." when a hidden count could otherwise be
worked out by subtraction (tables.Protector.breakdown). A final report's stored figures are
shown under the rule as it is today. Support persons and registrations are not clients.

Each section's tables are built here; the key figures (beside the comparison periods) in
key_figures.py, the charts in report_charts.py, the cells and the protection in tables.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assignments.models import Assignment
from clients.models import Deviation
from supportpersons.models import TrainingEvent

from .contact_figures import contacts_table
from .figure_types import (
    FLOWS,
    ActivityFigures,
    AssignmentFigures,
    CollaborationFigures,
    PersonalAssistanceFigures,
    ReportFigures,
    RequestFigures,
    SupportPersonFigures,
)
from .key_figures import Periods, key_figures_table
from .legal_basis_figures import legal_basis_tables
from .offer_figures import offers_table
from .pool import GENDERS, gender_headers
from .report_charts import charts
from .tables import Protector, Share, Suppressed, Table, Value, is_small


class Reconciliation(TypedDict):
    """opening + recruited + reactivated - deactivated = computed, beside the closing stock."""

    opening: int
    recruited: int
    reactivated: int
    deactivated: int
    closing: int
    computed: int
    difference: int
    ok: bool
    register_closing: int
    register_differs: bool


@dataclass
class Presentation:
    figures: ReportFigures
    organisation: str
    programme_name: str
    is_personal_assistance: bool
    period_label: str
    first_day: date
    last_day: date
    as_of: date
    is_partial: bool
    column_labels: list[str]
    min_group_size: int
    key_figures: Table
    support_person_tables: list[Table]
    reconciliation: Reconciliation
    events: Table
    collaboration: Table
    distribution: Table
    late: Table
    released: Table
    personal_assistance: Table | None
    deviations: Table | None
    charts: dict[str, SafeString]
    contacts: Table | None = None
    legal_basis_tables: list[Table] = field(default_factory=list)
    suppressed: bool = False
    suppression_note: str = ""
    tables: list[Table] = field(default_factory=list)
    offers: Table | None = None  # reports/offer_figures.py


# --- Support persons --------------------------------------------------------------------------


def _support_person_tables(pool: SupportPersonFigures) -> list[Table]:
    """Support persons by locality and gender, a table for each flow."""
    genders = gender_headers()
    shown_genders = [
        g
        for g in GENDERS
        if g != "other"
        or any(row[flow].get("other") for row in pool["by_locality"] for flow in FLOWS)
    ]
    flow_titles = {
        "active": _("Active support persons at the end of the period"),
        "recruited": _("Support persons recruited in the period"),
        "reactivated": _("Support persons reactivated in the period"),
        "deactivated": _("Support persons deactivated in the period"),
    }
    tables = []
    for flow in FLOWS:
        rows: list[list[Value]] = []
        totals = dict.fromkeys(shown_genders, 0)
        for entry in pool["by_locality"]:
            counts = entry[flow]
            if not sum(counts.values()) and flow != "active":
                continue
            rows.append(
                [entry["locality"], *[counts[g] for g in shown_genders], sum(counts.values())]
            )
            for g in shown_genders:
                totals[g] += counts[g]
        if flow == "reactivated" and not rows:
            continue
        rows.append([_("Total"), *totals.values(), sum(totals.values())])
        tables.append(
            Table(
                f"support_persons_{flow}",
                flow_titles[flow],
                [_("Locality"), *[genders[g] for g in shown_genders], _("Total")],
                rows,
            )
        )
    return tables


def _reconciliation(pool: SupportPersonFigures) -> Reconciliation:
    return {
        "opening": pool["opening"],
        "recruited": pool["recruited"],
        "reactivated": pool["reactivated"],
        "deactivated": pool["deactivated"],
        "closing": pool["closing"],
        "computed": pool["opening"] + pool["recruited"] + pool["reactivated"] - pool["deactivated"],
        "difference": pool["difference"],
        "ok": pool["difference"] == 0,
        "register_closing": pool["register_closing"],
        "register_differs": pool["register_closing"] != pool["closing"],
    }


# --- Activities and collaboration -------------------------------------------------------------


def _day(iso: str) -> date:
    """A day in a table: "10 feb" in the report, ISO in its files (tables.format_value)."""
    return date.fromisoformat(iso)


def _events_table(activities: ActivityFigures) -> Table:
    kinds = dict(TrainingEvent.Kind.choices)
    statuses = dict(TrainingEvent.Status.choices)
    rows: list[list[Value]] = []
    for event in activities["events"]:
        status = str(statuses.get(event["status"], event["status"]))
        if event["cancel_reason"]:
            status = f"{status}: {event['cancel_reason']}"
        for place in event["localities"]:
            rows.append(
                [
                    _day(event["date"]),
                    event["title"] or str(kinds.get(event["kind"], event["kind"])),
                    place["locality"],
                    status,
                    place["registered"],
                    place["attended"],
                    place["active"],
                    Share(place["rate"]) if place["rate"] is not None else None,
                ]
            )
    return Table(
        "events",
        _("Training events"),
        [
            _("Date"),
            _("Training event"),
            _("Locality"),
            _("Status"),
            _("Registered"),
            _("Attended"),
            _("Active in the locality"),
            _("Attendance"),
        ],
        rows,
        _(
            "Attendance: those who attended, of the support persons active in the locality "
            "on the day of the event."
        ),
    )


def _collaboration_table(collaboration: CollaborationFigures) -> Table:
    return Table(
        "collaboration",
        _("Collaboration"),
        [_("Date"), _("Forum")],
        [[_day(a["date"]), a["forum"]] for a in collaboration["activities"]],
    )


# --- Requests and assignments (client-derived: protected) -------------------------------------


def _distribution_table(requests: RequestFigures, protect: Protector) -> Table:
    # The requests by working days add up to those answered (a key figure).
    shown, _total = protect.breakdown(list(requests["distribution"].values()), "answered")
    return Table(
        "time_to_appointment",
        _("Time to appointment"),
        [_("Working days"), _("Requests")],
        [[days, n] for days, n in zip(requests["distribution"], shown, strict=True)],
        _("Day 0 is the day the request was received; paused days do not count."),
    )


def _late_table(requests: RequestFigures, protect: Protector) -> Table:
    groups: dict[tuple[str, bool], list[int]] = {}
    for item in requests["late"]:
        groups.setdefault((item["reason"], item["excused"]), []).append(item["working_days"])
    ordered = sorted(groups.items(), key=lambda item: (item[0][1], -len(item[1]), item[0][0]))
    # The rows of each kind add up to a key figure: target missed, or excused.
    counts: dict[tuple[str, bool], Value] = {}
    for excused, name in ((False, "missed"), (True, "excused")):
        keys = [key for key, _days in ordered if key[1] == excused]
        shown, _total = protect.breakdown([len(groups[key]) for key in keys], name)
        counts.update(zip(keys, shown, strict=True))
    return Table(
        "late_requests",
        _("Requests answered after the target"),
        [_("Reason for the delay"), _("Excused"), _("Requests"), _("Working days")],
        [
            [
                reason or _("No reason given"),
                _("Yes") if excused else _("No"),
                counts[(reason, excused)],
                # The span of a hidden count's days would tell what the count hides.
                "" if isinstance(counts[(reason, excused)], Suppressed) else _span(days),
            ]
            for (reason, excused), days in ordered
        ],
        _("An excused delay: the patient could not take a position because of their health."),
    )


def _span(days: list[int]) -> int | str:
    low, high = min(days), max(days)
    return low if low == high else f"{low}–{high}"


def _released_table(assignments: AssignmentFigures, protect: Protector) -> Table:
    reasons = dict(Assignment.EndReason.choices)
    by_reason = assignments["released_by_reason"]
    shown, _total = protect.breakdown(list(by_reason.values()), "released")
    return Table(
        "released_by_reason",
        _("Assignments released, by reason"),
        [_("Reason"), _("Assignments")],
        [
            [str(reasons.get(reason, reason or _("No reason given"))), n]
            for reason, n in zip(by_reason, shown, strict=True)
        ],
    )


# --- Personal assistance ----------------------------------------------------------------------


def _share_row(label: str, n: int, of: int, share: float | None, protect: Protector) -> list[Value]:
    """n clients of a group, and the share: with n, the group or the rest of it (of - n)
    small, the count and the share are hidden (either tells the other with the group)."""
    k = protect.min_group_size
    if is_small(n, k) or is_small(of, k) or is_small(of - n, k):
        shown_share: Value = protect.share(share, 0) if share is not None else None
        return [label, protect.hidden(secondary=not is_small(n, k)), protect.count(of), shown_share]
    return [label, n, of, protect.share(share, of)]


def _personal_assistance_table(pa: PersonalAssistanceFigures, protect: Protector) -> Table:
    table = Table(
        "personal_assistance",
        _("Follow-up of the routine"),
        [_("Figure"), _("Clients"), _("Of"), _("Share")],
        [
            _share_row(
                _("With a support person"),
                pa["with_support_person"],
                pa["clients"],
                pa["support_person_share"],
                protect,
            ),
            _share_row(
                _("With a current implementation plan"),
                pa["with_current_plan"],
                pa["with_duties"],
                pa["plan_share"],
                protect,
            ),
            _share_row(
                _("With documentation in every month of the period"),
                pa["documented_every_month"],
                pa["documentation_clients"],
                pa["documented_every_month_share"],
                protect,
            ),
        ],
        _(
            "Clients active at the end of the period. Documentation counts the months "
            "due for each client, after a new client's grace period."
        ),
    )
    return table


def _deviations_table(pa: PersonalAssistanceFigures, protect: Protector) -> Table:
    categories = dict(Deviation.Category.choices)
    by_category = pa["deviations_by_category"]
    columns = {}
    for column, name in (
        ("opened", "deviations_opened"),
        ("closed", "deviations_closed"),
        ("open_at_end", "deviations_open_at_end"),
    ):
        column_counts = [counts[column] for counts in by_category.values()]  # type: ignore[literal-required]
        columns[column] = protect.breakdown(column_counts, name)
    return Table(
        "deviations",
        _("Deviations"),
        [
            _("Category"),
            _("Opened in the period"),
            _("Closed in the period"),
            _("Open at the end of the period"),
        ],
        [
            [
                str(categories.get(category, category)),
                columns["opened"][0][i],
                columns["closed"][0][i],
                columns["open_at_end"][0][i],
            ]
            for i, category in enumerate(by_category)
        ]
        + [[_("Total"), columns["opened"][1], columns["closed"][1], columns["open_at_end"][1]]],
    )


# --- The whole -----------------------------------------------------------------------------------


def present(figures: ReportFigures) -> Presentation:
    protect = Protector(int(figures["min_group_size"]))
    current = figures["current"]
    period = figures["period"]
    periods = Periods.of(figures)
    support_person_tables = _support_person_tables(current["support_persons"])
    events = _events_table(current["activities"])
    collaboration = _collaboration_table(current["collaboration"])
    distribution = _distribution_table(current["requests"], protect)
    late = _late_table(current["requests"], protect)
    released = _released_table(current["assignments"], protect)
    contacts = contacts_table(current.get("contacts"), protect)  # type: ignore[arg-type]
    by_legal_basis = legal_basis_tables(current, protect)
    pa = current["personal_assistance"]
    personal_assistance = _personal_assistance_table(pa, protect) if pa is not None else None
    deviations = _deviations_table(pa, protect) if pa is not None else None
    # After the tables: a total a breakdown had to hide is hidden among the key figures too.
    key_figures = key_figures_table(periods, protect)
    last_day = date.fromisoformat(period["last_day"])
    as_of = date.fromisoformat(period["as_of"])
    presentation = Presentation(
        figures=figures,
        organisation=figures["programme"]["organisation"],
        programme_name=figures["programme"]["name"],
        is_personal_assistance=periods.is_personal_assistance,
        period_label=period["label"],
        first_day=date.fromisoformat(period["first_day"]),
        last_day=last_day,
        as_of=as_of,
        is_partial=as_of < last_day,
        column_labels=periods.labels,
        min_group_size=protect.min_group_size,
        key_figures=key_figures,
        support_person_tables=support_person_tables,
        reconciliation=_reconciliation(current["support_persons"]),
        events=events,
        collaboration=collaboration,
        distribution=distribution,
        late=late,
        released=released,
        personal_assistance=personal_assistance,
        deviations=deviations,
        charts=charts(current, periods, key_figures),
        contacts=contacts,
        legal_basis_tables=by_legal_basis,
    )
    if not periods.is_personal_assistance:
        presentation.offers = offers_table(current.get("offers"), protect)
    presentation.suppressed = protect.used
    presentation.suppression_note = _(
        "< %(n)s and –*: fewer than %(n)s persons; not shown so that no one can be identified."
    ) % {"n": protect.min_group_size}
    if protect.secondary_used:
        presentation.suppression_note += " " + _(
            "..: hidden too, so that a hidden figure cannot be worked out from a total."
        )
    presentation.tables = [
        t
        for t in [
            key_figures,
            *support_person_tables,
            events,
            collaboration,
            distribution if periods.has_requests else None,
            late if periods.has_requests else None,
            released,
            presentation.offers,
            contacts,
            *by_legal_basis,
            personal_assistance,
            deviations,
        ]
        if t is not None
    ]
    return presentation
