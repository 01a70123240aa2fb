"""The report's charts: key figures over the three periods, and the pool by locality and
gender."""

from __future__ import annotations

from datetime import date

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from stodperson.charts import Series, bar_chart

from .figure_types import PeriodFigures, SupportPersonFigures
from .key_figures import Periods, key_figures
from .pool import GENDERS, gender_headers
from .tables import Suppressed, Table, Value

_HEIGHT = 220
# A series of a comparison chart: its name, and its values in the periods (current first;
# None: no bar).
_Reading = tuple[str, list[float | None]]


def charts(current: PeriodFigures, periods: Periods, key_table: Table) -> dict[str, SafeString]:
    """The bars show the key figures as the table shows them: a hidden figure has no bar."""
    rows = {str(row[0]): row[1:] for row in key_table.rows}

    def reading(name: str, label: str) -> _Reading:
        return name, [_number(value) for value in rows.get(label, [None] * len(periods.labels))]

    result = {
        "assignments": _comparison_chart(
            periods,
            _("Assignments appointed and released"),
            [
                reading(_("Appointed assignments"), _("Assignments appointed")),
                reading(_("Released assignments"), _("Assignments released")),
            ],
            chart_id="chart-assignments",
        ),
        "pool": _pool_chart(current["support_persons"]),
    }
    if periods.has_requests:
        result["requests"] = _comparison_chart(
            periods,
            _("Requests answered in time, per cent"),
            [
                reading(_("Within 1 working day"), _("Appointed within 1 working day")),
                reading(_("Within the target"), _("Appointed within the target")),
            ],
            chart_id="chart-requests",
            percent=True,
        )
    if periods.is_personal_assistance:
        result["coverage"] = _comparison_chart(
            periods,
            _("Follow-up of the routine, per cent of clients"),
            [
                reading(figure.series, figure.label)
                for figure in key_figures()
                if figure.group is not None
            ],
            chart_id="chart-coverage",
            percent=True,
        )
    return result


def _number(value: Value) -> float | None:
    if value is None or isinstance(value, Suppressed | str | date):
        return None
    return float(value)


def _comparison_chart(
    periods: Periods,
    title: str,
    readings: list[_Reading],
    *,
    chart_id: str,
    percent: bool = False,
) -> SafeString:
    # From the same tertial a year earlier to this one.
    return bar_chart(
        title=title,
        labels=periods.labels[::-1],
        series=[Series(name, values[::-1]) for name, values in readings],
        chart_id=chart_id,
        max_value=100 if percent else None,
        unit=" %" if percent else "",
        height=_HEIGHT,
    )


def _pool_chart(pool: SupportPersonFigures) -> SafeString:
    rows = pool["by_locality"]
    genders = gender_headers()
    shown = [g for g in GENDERS if g != "other" or any(row["active"]["other"] for row in rows)]
    return bar_chart(
        title=_("Active support persons at the end of the period, by locality and gender"),
        labels=[row["locality"] for row in rows],
        series=[Series(genders[g], [row["active"][g] for row in rows]) for g in shown],
        chart_id="chart-pool",
        height=_HEIGHT,
    )
