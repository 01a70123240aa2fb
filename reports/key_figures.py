"""The key figures: the current period beside the previous tertial and the same tertial a
year earlier, read from the headline figures (figure_types.Headline) that are stored for
all three."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from .figure_types import Headline, ReportFigures, headline, stored_headline
from .tables import Protector, Share, Table, Value


@dataclass(frozen=True)
class KeyFigure:
    label: str
    read: Callable[[Headline], int | float | None]
    # Figures of requests are shown only where requests are kept (the patient committee),
    # those of personal assistance only there.
    section: Literal["", "requests", "personal_assistance"] = ""
    share: bool = False
    # A share of clients: the group it is a share of, protected as such, and its series in
    # the chart of the routine's follow-up.
    group: Callable[[Headline], int | None] | None = None
    series: str = ""

    def value(self, figures: Headline, protect: Protector) -> Value:
        value = self.read(figures)
        if self.group is not None:
            return protect.share(value, self.group(figures))
        if self.share:
            return Share(value) if value is not None else None
        return value


def key_figures() -> list[KeyFigure]:
    """The rows of the key figures, in order (labels in the active language)."""
    requests: Literal["requests"] = "requests"
    pa: Literal["personal_assistance"] = "personal_assistance"
    return [
        KeyFigure(
            _("Active assignments at the start of the period"),
            lambda h: h["assignments"]["active_at_start"],
        ),
        KeyFigure(_("Assignments appointed"), lambda h: h["assignments"]["appointed"]),
        KeyFigure(_("Assignments released"), lambda h: h["assignments"]["released"]),
        KeyFigure(
            _("Active assignments at the end of the period"),
            lambda h: h["assignments"]["active_at_end"],
        ),
        KeyFigure(_("Requests received"), lambda h: h["requests"]["received"], requests),
        KeyFigure(
            _("Requests answered with an appointment"),
            lambda h: h["requests"]["answered"],
            requests,
        ),
        KeyFigure(_("Requests withdrawn"), lambda h: h["requests"]["withdrawn"], requests),
        KeyFigure(
            _("Median time to appointment (working days)"),
            lambda h: h["requests"]["median_working_days"],
            requests,
        ),
        KeyFigure(
            _("Appointed within 1 working day"),
            lambda h: h["requests"]["within_one_share"],
            requests,
            share=True,
        ),
        KeyFigure(
            _("Appointed within the target"),
            lambda h: h["requests"]["within_target_share"],
            requests,
            share=True,
        ),
        KeyFigure(_("Late: target missed"), lambda h: h["requests"]["missed"], requests),
        KeyFigure(
            _("Late: excused (the patient could not take a position)"),
            lambda h: h["requests"]["excused"],
            requests,
        ),
        KeyFigure(
            _("Waiting past the target at the end of the period"),
            lambda h: h["requests"]["waiting_late_at_end"],
            requests,
        ),
        KeyFigure(
            _("Active support persons at the start of the period"),
            lambda h: h["support_persons"]["opening"],
        ),
        KeyFigure(_("Support persons recruited"), lambda h: h["support_persons"]["recruited"]),
        KeyFigure(_("Support persons reactivated"), lambda h: h["support_persons"]["reactivated"]),
        KeyFigure(_("Support persons deactivated"), lambda h: h["support_persons"]["deactivated"]),
        KeyFigure(
            _("Active support persons at the end of the period"),
            lambda h: h["support_persons"]["closing"],
        ),
        KeyFigure(_("Training events held"), lambda h: h["activities"]["held"]),
        KeyFigure(_("Training events cancelled"), lambda h: h["activities"]["cancelled"]),
        KeyFigure(
            _("Registered for the events held"), lambda h: h["activities"]["registered_held"]
        ),
        KeyFigure(_("Attended the events held"), lambda h: h["activities"]["attended_held"]),
        KeyFigure(_("Collaboration forums attended"), lambda h: h["collaboration"]["count"]),
        KeyFigure(
            _("Active clients at the end of the period"),
            lambda h: h["personal_assistance"]["clients"],
            pa,
        ),
        KeyFigure(
            _("Clients with a support person"),
            lambda h: h["personal_assistance"]["support_person_share"],
            pa,
            group=lambda h: h["personal_assistance"]["clients"],
            series=_("With a support person"),
        ),
        KeyFigure(
            _("Clients with a current implementation plan"),
            lambda h: h["personal_assistance"]["plan_share"],
            pa,
            group=lambda h: h["personal_assistance"]["with_duties"],
            series=_("Current plan"),
        ),
        KeyFigure(
            _("Clients with documentation in every month of the period"),
            lambda h: h["personal_assistance"]["documented_every_month_share"],
            pa,
            group=lambda h: h["personal_assistance"]["documentation_clients"],
            series=_("Documented every month"),
        ),
        KeyFigure(
            _("Deviations opened"), lambda h: h["personal_assistance"]["deviations_opened"], pa
        ),
        KeyFigure(
            _("Deviations closed"), lambda h: h["personal_assistance"]["deviations_closed"], pa
        ),
        KeyFigure(
            _("Open deviations at the end of the period"),
            lambda h: h["personal_assistance"]["deviations_open_at_end"],
            pa,
        ),
    ]


@dataclass(frozen=True)
class Periods:
    """The headline figures of the current period, the previous tertial and the same tertial
    a year earlier, in that order, with their column titles."""

    figures: list[Headline]
    labels: list[str]
    has_requests: bool
    is_personal_assistance: bool

    @classmethod
    def of(cls, figures: ReportFigures) -> Periods:
        comparisons = figures["comparisons"]
        periods = [
            headline(stored_headline(figures["current"])),
            headline(comparisons["previous"]["figures"]),
            headline(comparisons["last_year"]["figures"]),
        ]
        return cls(
            figures=periods,
            labels=[
                figures["period"]["label"],
                comparisons["previous"]["label"],
                comparisons["last_year"]["label"],
            ],
            has_requests=any(p["requests"]["received"] for p in periods),
            is_personal_assistance=figures["current"]["personal_assistance"] is not None,
        )

    def shows(self, figure: KeyFigure) -> bool:
        if figure.section == "requests":
            return self.has_requests
        if figure.section == "personal_assistance":
            return self.is_personal_assistance
        return True


def key_figures_table(periods: Periods, protect: Protector) -> Table:
    return Table(
        "key_figures",
        _("Key figures"),
        [_("Figure"), *periods.labels],
        [
            [figure.label, *(figure.value(p, protect) for p in periods.figures)]
            for figure in key_figures()
            if periods.shows(figure)
        ],
    )
