"""Read paths of the overview screens, one per screen: each owns its select_related and
prefetch_related and runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments.models import Assignment, SatisfactionFollowUp
from clients.models import Client, ClientQuerySet, Unit
from duties.coverage import Coverage, coverage_on_days
from flags.actions import with_action_targets
from flags.checks import FlagCount, open_flag_counts
from flags.models import Flag, FlagQuerySet
from stodperson.charts import Series, line_chart
from stodperson.dates import add_months, last_day_of_month
from supportpersons.models import SupportPerson

# How many rows of a to-do list the dashboard shows; a link leads to the whole list.
TODO_LIMIT = 10


def clients_for_list(clients: ClientQuerySet) -> QuerySet[Client]:
    return (
        clients.select_related("unit")
        .with_current_assignments()
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.open().only("id", "kind", "client_id"),
                to_attr="open_flags",
            )
        )
    )


@dataclass
class Dashboard:
    """The unit manager's to-do (the open flags, the clients without a support person, the
    wishes to change) and the figures of their units."""

    units: list[Unit]
    open_flags: list[Flag]  # the oldest first, at most TODO_LIMIT
    without_support_person: list[Client]
    without_support_person_count: int
    flag_counts: list[FlagCount]
    coverage: Coverage
    chart: str
    chart_rows: list[tuple[str, float | None, float | None, float | None]]
    capacity: list[SupportPerson]
    recent_assignments: list[Assignment]
    change_wishes: list[SatisfactionFollowUp]

    @property
    def open_flag_count(self) -> int:
        return sum(count.number for count in self.flag_counts)


def dashboard(units: QuerySet[Unit], *, flags: FlagQuerySet, today: date) -> Dashboard:
    """`flags`: the flags of these units the user may act on (their counts per kind are the
    flags page's, which counts Flag.objects.visible_to the same way)."""
    unit_list = list(units.select_related("locality", "programme"))
    clients = Client.objects.filter(unit__in=units)
    active = clients.active_on(today)
    # NOT EXISTS, not NOT IN: the planner looks up each client's active assignment by
    # index instead of hashing every active assignment of the register (issue #8).
    without = active.filter(~Exists(Assignment.objects.active().filter(client=OuterRef("pk"))))
    month_ends = [
        min(last_day_of_month(add_months(today.replace(day=1), -back)), today)
        for back in range(11, -1, -1)
    ]
    series = coverage_on_days(clients, month_ends)
    labels = [date_format(d, "b") for d in month_ends]  # "sep", as DATE_FORMAT writes it
    chart = line_chart(
        title=_("Coverage over the last 12 months"),
        labels=labels,
        series=[
            Series(_("With support person"), [c.support_person_share for c in series]),
            Series(_("Current plan"), [c.plan_share for c in series]),
            Series(_("Documented in the month"), [c.documentation_share for c in series]),
        ],
        chart_id="coverage",
    )
    # Subqueries, not a join of every person with every assignment: the load counts the
    # person's active assignments, all of them for a person of these units and those with
    # clients in these units for a person from elsewhere (as the join counted them).
    assigned = Assignment.objects.active().filter(support_person=OuterRef("pk")).order_by()
    here = assigned.filter(client__unit__in=units)

    def count(assignments: QuerySet[Assignment]) -> Subquery:
        counted = assignments.values("support_person").annotate(n=Count("pk")).values("n")
        return Subquery(counted, output_field=IntegerField())

    # The persons as one IN over a UNION, which the planner sizes right (an OR of two INs
    # it takes for a fifth of the pool, and then compiles the query, for 50 ms).
    of_units = (
        SupportPerson.objects.filter(unit__in=units)
        .values("pk")
        .order_by()
        .union(
            Assignment.objects.active()
            .filter(client__unit__in=units)
            .values("support_person")
            .order_by()
        )
    )
    persons = (
        SupportPerson.objects.filter(pk__in=of_units, status=SupportPerson.Status.ACTIVE)
        .annotate(
            load=Coalesce(Case(When(unit__in=units, then=count(assigned)), default=count(here)), 0)
        )
        .filter(load__gte=F("capacity") - 1)
        .order_by("-load", "search_name")
    )
    return Dashboard(
        units=unit_list,
        open_flags=list(
            with_action_targets(flags.open())
            .select_related("client__unit", "support_person")
            .order_by("raised_at", "id")[:TODO_LIMIT]
        ),
        without_support_person=list(without.select_related("unit")[:TODO_LIMIT]),
        without_support_person_count=without.count(),
        flag_counts=open_flag_counts(flags),
        coverage=series[-1],
        chart=chart,
        chart_rows=[
            (label, c.support_person_share, c.plan_share, c.documentation_share)
            for label, c in zip(labels, series, strict=True)
        ],
        capacity=list(persons[:20]),
        recent_assignments=list(
            Assignment.objects.filter(client__unit__in=units)
            .select_related("client", "support_person")
            .order_by(Coalesce("ended_on", "started_on").desc(), "-id")[:10]
        ),
        change_wishes=list(
            SatisfactionFollowUp.objects.filter(
                assignment__client__unit__in=units,
                outcome=SatisfactionFollowUp.Outcome.WANTS_CHANGE,
                handled_at__isnull=True,
            ).select_related("assignment__client", "assignment__support_person")
        ),
    )
