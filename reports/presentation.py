"""The figures as the report shows them: tables, charts and the small-count protection.

The report page, the PDF and the CSV/XLSX exports all read from `present(figures)`, so
what is suppressed in one is suppressed in all. It reads only the figures dict (a final
report's stored one), never the database.

Protection (domain.md, "Privacy obligations"): a breakdown of clients (requests by working
days or by reason for delay, releases by reason, deviations by category) shows a cell of
fewer than `min_group_size` (settings.REPORT_MIN_GROUP_SIZE, stored with the figures) as
"< 5", and a share of clients whose group is that small as "–*", with a footnote. Totals
for the whole programme are shown. Support persons and registrations are not clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assignments.models import Assignment
from clients.models import Deviation
from stodperson.charts import Series, bar_chart
from supportpersons.models import TrainingEvent

from .figure_types import FLOWS, PeriodFigures, ReportFigures, StoredHeadline, stored_headline
from .figures import CURRENT, LAST_YEAR, PREVIOUS
from .pool import GENDERS
from .tables import Protector, Share, Suppressed, Table, Value


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
    reconciliation: dict[str, Any]
    events: Table
    collaboration: Table
    distribution: Table
    late: Table
    released: Table
    personal_assistance: Table | None
    deviations: Table | None
    charts: dict[str, SafeString]
    suppressed: bool = False
    suppression_note: str = ""
    tables: list[Table] = field(default_factory=list)


def _labels() -> dict[str, str]:
    return {
        "assignments.active_at_start": _("Active assignments at the start of the period"),
        "assignments.appointed": _("Assignments appointed"),
        "assignments.released": _("Assignments released"),
        "assignments.active_at_end": _("Active assignments at the end of the period"),
        "requests.received": _("Requests received"),
        "requests.answered": _("Requests answered with an appointment"),
        "requests.withdrawn": _("Requests withdrawn"),
        "requests.median_working_days": _("Median time to appointment (working days)"),
        "requests.within_one_share": _("Appointed within 1 working day"),
        "requests.within_target_share": _("Appointed within the target"),
        "requests.missed": _("Late: target missed"),
        "requests.excused": _("Late: excused (the patient could not take a position)"),
        "requests.waiting_late_at_end": _("Waiting past the target at the end of the period"),
        "support_persons.opening": _("Active support persons at the start of the period"),
        "support_persons.recruited": _("Support persons recruited"),
        "support_persons.reactivated": _("Support persons reactivated"),
        "support_persons.deactivated": _("Support persons deactivated"),
        "support_persons.closing": _("Active support persons at the end of the period"),
        "activities.held": _("Training events held"),
        "activities.cancelled": _("Training events cancelled"),
        "activities.registered_held": _("Registered for the events held"),
        "activities.attended_held": _("Attended the events held"),
        "collaboration.count": _("Collaboration forums attended"),
        "personal_assistance.clients": _("Active clients at the end of the period"),
        "personal_assistance.support_person_share": _("Clients with a support person"),
        "personal_assistance.plan_share": _("Clients with a current implementation plan"),
        "personal_assistance.documented_every_month_share": _(
            "Clients with documentation in every month of the period"
        ),
        "personal_assistance.deviations_opened": _("Deviations opened"),
        "personal_assistance.deviations_closed": _("Deviations closed"),
        "personal_assistance.deviations_open_at_end": _("Open deviations at the end of the period"),
    }


# Shares of clients and the group each one is a share of.
_SHARE_GROUPS = {
    "personal_assistance.support_person_share": "personal_assistance.clients",
    "personal_assistance.plan_share": "personal_assistance.with_duties",
    "personal_assistance.documented_every_month_share": (
        "personal_assistance.documentation_clients"
    ),
}
# Request figures only mean something where requests are kept (the patient committee).
_REQUEST_KEYS = {"requests.within_one_share", "requests.within_target_share"}


def _gender_headers() -> dict[str, str]:
    return {"woman": _("Women"), "man": _("Men"), "other": _("Other or unknown")}


def present(figures: ReportFigures) -> Presentation:
    protect = Protector(int(figures["min_group_size"]))
    current = figures["current"]
    comparisons = figures["comparisons"]
    period = figures["period"]
    is_pa = current["personal_assistance"] is not None
    headlines = {
        CURRENT: stored_headline(current),
        PREVIOUS: comparisons[PREVIOUS]["figures"],
        LAST_YEAR: comparisons[LAST_YEAR]["figures"],
    }
    column_labels = [
        period["label"],
        comparisons[PREVIOUS]["label"],
        comparisons[LAST_YEAR]["label"],
    ]

    # Key figures beside the previous tertial and the same tertial a year earlier.
    labels = _labels()
    key_rows: list[list[Value]] = []
    has_requests = any(headlines[k].get("requests.received") for k in headlines)
    for key, label in labels.items():
        if key not in headlines[CURRENT]:
            continue
        if key.startswith("requests.") and not has_requests:
            continue
        row: list[Value] = [label]
        for which in (CURRENT, PREVIOUS, LAST_YEAR):
            value = headlines[which].get(key)
            if key in _SHARE_GROUPS:
                group = cast(int | None, headlines[which].get(_SHARE_GROUPS[key]))
                row.append(protect.share(value, group))
            elif key.endswith("_share") or key in _REQUEST_KEYS:
                row.append(Share(value) if value is not None else None)
            else:
                row.append(value)
        key_rows.append(row)
    key_figures = Table(
        "key_figures",
        _("Key figures"),
        [_("Figure"), *column_labels],
        key_rows,
    )

    # Support persons by locality and gender.
    pool = current["support_persons"]
    genders = _gender_headers()
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
    support_person_tables = []
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
        support_person_tables.append(
            Table(
                f"support_persons_{flow}",
                flow_titles[flow],
                [_("Locality"), *[genders[g] for g in shown_genders], _("Total")],
                rows,
            )
        )
    reconciliation = {
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

    # Activities.
    kinds = dict(TrainingEvent.Kind.choices)
    statuses = dict(TrainingEvent.Status.choices)
    event_rows: list[list[Value]] = []
    for event in current["activities"]["events"]:
        status = str(statuses.get(event["status"], event["status"]))
        if event["cancel_reason"]:
            status = f"{status}: {event['cancel_reason']}"
        for place in event["localities"]:
            event_rows.append(
                [
                    date_format(date.fromisoformat(event["date"]), "j M"),
                    event["title"] or str(kinds.get(event["kind"], event["kind"])),
                    place["locality"],
                    status,
                    place["registered"],
                    place["attended"],
                    place["active"],
                    Share(place["rate"]) if place["rate"] is not None else None,
                ]
            )
    events = Table(
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
        event_rows,
        _(
            "Attendance: those who attended, of the support persons active in the locality "
            "on the day of the event."
        ),
    )
    collaboration = Table(
        "collaboration",
        _("Collaboration"),
        [_("Date"), _("Forum")],
        [
            [date_format(date.fromisoformat(a["date"]), "j M"), a["forum"]]
            for a in current["collaboration"]["activities"]
        ],
    )

    # Requests: time to appointment and the late ones (client-derived: protected).
    requests = current["requests"]
    distribution = Table(
        "time_to_appointment",
        _("Time to appointment"),
        [_("Working days"), _("Requests")],
        [[days, protect.count(n)] for days, n in requests["distribution"].items()],
        _("Day 0 is the day the request was received; paused days do not count."),
    )
    late_groups: dict[tuple[str, bool], list[int]] = {}
    for item in requests["late"]:
        late_groups.setdefault((item["reason"], item["excused"]), []).append(item["working_days"])
    late = Table(
        "late_requests",
        _("Requests answered after the target"),
        [_("Reason for the delay"), _("Excused"), _("Requests"), _("Working days")],
        [
            [
                reason or _("No reason given"),
                _("Yes") if excused else _("No"),
                protect.count(len(days)),
                _span(days),
            ]
            for (reason, excused), days in sorted(
                late_groups.items(), key=lambda item: (item[0][1], -len(item[1]), item[0][0])
            )
        ],
        _("An excused delay: the patient could not take a position because of their health."),
    )
    reasons = dict(Assignment.EndReason.choices)
    released = Table(
        "released_by_reason",
        _("Assignments released, by reason"),
        [_("Reason"), _("Assignments")],
        [
            [str(reasons.get(reason, reason or _("No reason given"))), protect.count(n)]
            for reason, n in current["assignments"]["released_by_reason"].items()
        ],
    )

    # Personal assistance.
    personal_assistance = deviations = None
    pa = current["personal_assistance"]
    if pa is not None:
        personal_assistance = Table(
            "personal_assistance",
            _("Follow-up of the routine"),
            [_("Figure"), _("Clients"), _("Of"), _("Share")],
            [
                [
                    _("With a support person"),
                    pa["with_support_person"],
                    pa["clients"],
                    protect.share(pa["support_person_share"], pa["clients"]),
                ],
                [
                    _("With a current implementation plan"),
                    pa["with_current_plan"],
                    pa["with_duties"],
                    protect.share(pa["plan_share"], pa["with_duties"]),
                ],
                [
                    _("With documentation in every month of the period"),
                    pa["documented_every_month"],
                    pa["documentation_clients"],
                    protect.share(pa["documented_every_month_share"], pa["documentation_clients"]),
                ],
            ],
            _(
                "Clients active at the end of the period. Documentation counts the months "
                "due for each client, after a new client's grace period."
            ),
        )
        for row in personal_assistance.rows:
            if isinstance(row[3], Suppressed):
                row[1] = protect.count(row[1] if isinstance(row[1], int) else None)
        categories = dict(Deviation.Category.choices)
        deviations = Table(
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
                    protect.count(counts["opened"]),
                    protect.count(counts["closed"]),
                    protect.count(counts["open_at_end"]),
                ]
                for category, counts in pa["deviations_by_category"].items()
            ]
            + [
                [
                    _("Total"),
                    pa["deviations_opened"],
                    pa["deviations_closed"],
                    pa["deviations_open_at_end"],
                ]
            ],
        )

    charts = _charts(current, headlines, column_labels, is_pa, has_requests, protect)
    first_day = date.fromisoformat(period["first_day"])
    last_day = date.fromisoformat(period["last_day"])
    as_of = date.fromisoformat(period["as_of"])
    presentation = Presentation(
        figures=figures,
        organisation=figures["programme"]["organisation"],
        programme_name=figures["programme"]["name"],
        is_personal_assistance=is_pa,
        period_label=period["label"],
        first_day=first_day,
        last_day=last_day,
        as_of=as_of,
        is_partial=as_of < last_day,
        column_labels=column_labels,
        min_group_size=protect.min_group_size,
        key_figures=key_figures,
        support_person_tables=support_person_tables,
        reconciliation=reconciliation,
        events=events,
        collaboration=collaboration,
        distribution=distribution,
        late=late,
        released=released,
        personal_assistance=personal_assistance,
        deviations=deviations,
        charts=charts,
    )
    presentation.suppressed = protect.used
    presentation.suppression_note = _(
        "< %(n)s and –*: fewer than %(n)s persons; not shown so that no one can be identified."
    ) % {"n": protect.min_group_size}
    presentation.tables = [
        t
        for t in [
            key_figures,
            *support_person_tables,
            events,
            collaboration,
            distribution if has_requests else None,
            late if has_requests else None,
            released,
            personal_assistance,
            deviations,
        ]
        if t is not None
    ]
    return presentation


def _span(days: list[int]) -> int | str:
    low, high = min(days), max(days)
    return low if low == high else f"{low}–{high}"


def _charts(
    current: PeriodFigures,
    headlines: dict[str, StoredHeadline],
    column_labels: list[str],
    is_pa: bool,
    has_requests: bool,
    protect: Protector,
) -> dict[str, SafeString]:
    order = [LAST_YEAR, PREVIOUS, CURRENT]
    labels = [column_labels[2], column_labels[1], column_labels[0]]
    charts = {
        "assignments": bar_chart(
            title=_("Assignments appointed and released"),
            labels=labels,
            series=[
                Series(
                    _("Appointed assignments"),
                    [headlines[k].get("assignments.appointed") for k in order],
                ),
                Series(
                    _("Released assignments"),
                    [headlines[k].get("assignments.released") for k in order],
                ),
            ],
            chart_id="chart-assignments",
            height=220,
        )
    }
    pool = current["support_persons"]["by_locality"]
    genders = _gender_headers()
    shown = [g for g in GENDERS if g != "other" or any(row["active"]["other"] for row in pool)]
    charts["pool"] = bar_chart(
        title=_("Active support persons at the end of the period, by locality and gender"),
        labels=[row["locality"] for row in pool],
        series=[Series(genders[g], [row["active"][g] for row in pool]) for g in shown],
        chart_id="chart-pool",
        height=220,
    )
    if has_requests:
        charts["requests"] = bar_chart(
            title=_("Requests answered in time, per cent"),
            labels=labels,
            series=[
                Series(
                    _("Within 1 working day"),
                    [headlines[k].get("requests.within_one_share") for k in order],
                ),
                Series(
                    _("Within the target"),
                    [headlines[k].get("requests.within_target_share") for k in order],
                ),
            ],
            chart_id="chart-requests",
            max_value=100,
            unit=" %",
            height=220,
        )
    if is_pa:
        series = []
        for key, name in (
            ("personal_assistance.support_person_share", _("With a support person")),
            ("personal_assistance.plan_share", _("Current plan")),
            ("personal_assistance.documented_every_month_share", _("Documented every month")),
        ):
            values: list[float | None] = []
            for k in order:
                group = cast(int | None, headlines[k].get(_SHARE_GROUPS[key]))
                value = protect.share(headlines[k].get(key), group)
                values.append(float(value) if isinstance(value, Share) else None)
            series.append(Series(name, values))
        charts["coverage"] = bar_chart(
            title=_("Follow-up of the routine, per cent of clients"),
            labels=labels,
            series=series,
            chart_id="chart-coverage",
            max_value=100,
            unit=" %",
            height=220,
        )
    return charts
