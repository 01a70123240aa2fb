"""The report's charts: key figures over the three periods, and the pool by locality and
gender."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from stodperson.charts import Series, bar_chart

from .figure_types import Headline, PeriodFigures, SupportPersonFigures
from .key_figures import KeyFigure, Periods, key_figures
from .pool import GENDERS, gender_headers
from .tables import Protector, Share

_HEIGHT = 220
# A series of a comparison chart: its name, and its value in a period (None: no bar).
_Reading = tuple[str, Callable[[Headline], float | None]]


def charts(current: PeriodFigures, periods: Periods, protect: Protector) -> dict[str, SafeString]:
    result = {
        "assignments": _comparison_chart(
            periods,
            _("Assignments appointed and released"),
            [
                (_("Appointed assignments"), lambda f: f["assignments"]["appointed"]),
                (_("Released assignments"), lambda f: f["assignments"]["released"]),
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
                (_("Within 1 working day"), lambda f: f["requests"]["within_one_share"]),
                (_("Within the target"), lambda f: f["requests"]["within_target_share"]),
            ],
            chart_id="chart-requests",
            percent=True,
        )
    if periods.is_personal_assistance:
        result["coverage"] = _comparison_chart(
            periods,
            _("Follow-up of the routine, per cent of clients"),
            _client_shares(protect),
            chart_id="chart-coverage",
            percent=True,
        )
    return result


def _client_shares(protect: Protector) -> list[_Reading]:
    """The shares of clients of the key figures, where their groups are large enough to show."""

    def reading(figure: KeyFigure) -> _Reading:
        def value(figures: Headline) -> float | None:
            shown = figure.value(figures, protect)
            return float(shown) if isinstance(shown, Share) else None

        return figure.series, value

    return [reading(figure) for figure in key_figures() if figure.group is not None]


def _comparison_chart(
    periods: Periods,
    title: str,
    readings: list[_Reading],
    *,
    chart_id: str,
    percent: bool = False,
) -> SafeString:
    # From the same tertial a year earlier to this one.
    figures = periods.figures[::-1]
    return bar_chart(
        title=title,
        labels=periods.labels[::-1],
        series=[Series(name, [read(f) for f in figures]) for name, read in readings],
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
