"""The key figures: the current period beside the previous tertial and the same tertial a
year earlier, read from the headline figures (figure_types.Headline) that are stored for
all three."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, cast

from django.utils.translation import gettext as _

from .figure_types import Headline, ReportFigures, headline, stored_headline
from .tables import Protector, Share, Suppressed, Table, Value, is_small


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
    # A count of clients (or of their requests, assignments, deviations): the small-count
    # rule applies; `name` ties it to a table's total (tables.Protector.breakdown).
    count: bool = False
    name: str = ""
    # Read from the requests answered: a median or share of too few is not shown.
    of_answered: bool = False

    def value(self, figures: Headline, protect: Protector) -> Value:
        value = self.read(figures)
        if self.count:
            return protect.count(cast(int | None, value))
        if self.group is not None:
            group = self.group(figures)
            if value is not None and group:
                # The clients the share counts, and the rest of the group: as in the table of
                # the routine's follow-up, neither may be a small count.
                n = round(value * group / 100)
                k = protect.min_group_size
                if is_small(n, k) or is_small(group - n, k):
                    return protect.share(value, 0)
            return protect.share(value, group)
        if self.of_answered and value is not None:
            answered = figures["requests"]["answered"]
            if is_small(answered, protect.min_group_size):
                return protect.share(value, answered)
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
            count=True,
            name="active_at_start",
        ),
        KeyFigure(
            _("Assignments appointed"),
            lambda h: h["assignments"]["appointed"],
            count=True,
            name="appointed",
        ),
        KeyFigure(
            _("Assignments released"),
            lambda h: h["assignments"]["released"],
            count=True,
            name="released",
        ),
        KeyFigure(
            _("Active assignments at the end of the period"),
            lambda h: h["assignments"]["active_at_end"],
            count=True,
            name="active_at_end",
        ),
        KeyFigure(
            _("Requests received"), lambda h: h["requests"]["received"], requests, count=True
        ),
        KeyFigure(
            _("Requests answered with an appointment"),
            lambda h: h["requests"]["answered"],
            requests,
            count=True,
            name="answered",
        ),
        KeyFigure(
            _("Requests withdrawn"), lambda h: h["requests"]["withdrawn"], requests, count=True
        ),
        KeyFigure(
            _("Median time to appointment (working days)"),
            lambda h: h["requests"]["median_working_days"],
            requests,
            of_answered=True,
        ),
        KeyFigure(
            _("Appointed within 1 working day"),
            lambda h: h["requests"]["within_one_share"],
            requests,
            share=True,
            of_answered=True,
        ),
        KeyFigure(
            _("Appointed within the target"),
            lambda h: h["requests"]["within_target_share"],
            requests,
            share=True,
            of_answered=True,
        ),
        KeyFigure(
            _("Late: target missed"),
            lambda h: h["requests"]["missed"],
            requests,
            count=True,
            name="missed",
        ),
        KeyFigure(
            _("Late: excused (the patient could not take a position)"),
            lambda h: h["requests"]["excused"],
            requests,
            count=True,
            name="excused",
        ),
        KeyFigure(
            _("Waiting past the target at the end of the period"),
            lambda h: h["requests"]["waiting_late_at_end"],
            requests,
            count=True,
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
            count=True,
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
            _("Deviations opened"),
            lambda h: h["personal_assistance"]["deviations_opened"],
            pa,
            count=True,
            name="deviations_opened",
        ),
        KeyFigure(
            _("Deviations closed"),
            lambda h: h["personal_assistance"]["deviations_closed"],
            pa,
            count=True,
            name="deviations_closed",
        ),
        KeyFigure(
            _("Open deviations at the end of the period"),
            lambda h: h["personal_assistance"]["deviations_open_at_end"],
            pa,
            count=True,
            name="deviations_open_at_end",
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


# At the start + appointed - released = at the end: one of them hidden alone could be
# worked out from the other three.
ASSIGNMENT_FLOW = ("active_at_start", "appointed", "released", "active_at_end")


def key_figures_table(periods: Periods, protect: Protector) -> Table:
    """Call it after the tables of the current period: a total that one of them had to hide
    (protect.hidden_totals) is hidden here too."""
    shown = [figure for figure in key_figures() if periods.shows(figure)]
    columns = []
    for index, figures in enumerate(periods.figures):
        values = [figure.value(figures, protect) for figure in shown]
        if index == 0:
            for i, figure in enumerate(shown):
                if figure.name in protect.hidden_totals and not isinstance(values[i], Suppressed):
                    values[i] = protect.hidden(secondary=True)
        flow = [i for i, figure in enumerate(shown) if figure.name in ASSIGNMENT_FLOW]
        related = protect.related([cast(int | None, shown[i].read(figures)) for i in flow])
        for i, value in zip(flow, related, strict=True):
            if isinstance(value, Suppressed) and not isinstance(values[i], Suppressed):
                values[i] = value
        columns.append(values)
    return Table(
        "key_figures",
        _("Key figures"),
        [_("Figure"), *periods.labels],
        [[figure.label, *(column[i] for column in columns)] for i, figure in enumerate(shown)],
    )
