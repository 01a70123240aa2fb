"""The tertial report's figures of the volunteers' contacts (issue #16, item 4), for the
patient committee: contacts per kind, court hearings attended, and the share of assignments
that met the programme's contact target in the period.

Definitions:
- Contacts are counted on their date, whatever the state of their monthly report (the
  report is about what happened; payments read approved reports only).
- The contact target is one contact every `contact_target_days` days (e.g. a week). An
  assignment is measured over its active days in the period (from the later of its start
  and the period's first day, to the earlier of the as-of day and the day before it was
  released), cut into consecutive windows of that many days from its first such day, so a
  week runs across a month boundary as it falls; a window not yet complete at the end is
  not judged. An assignment with no complete window is not measured; one measured meets the
  target when every complete window holds a contact.

`load_contacts` reads the register (two queries) once for all periods; `contact_figures` is
pure; `contacts_table` is the table the page, the PDF and the CSV show.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypedDict

from django.db.models import Q
from django.utils.translation import gettext as _

from assignments.models import Assignment, SupportContact
from clients.models import Programme

from .figure_types import Span
from .tables import Protector, Table, Value, is_small

_ONE_DAY = timedelta(days=1)


class ContactFigures(TypedDict):
    by_kind: dict[str, int]  # SupportContact.Kind value -> contacts
    total: int
    court_hearings: int
    target_days: int
    assignments_measured: int
    meeting_target: int
    target_share: float | None


@dataclass
class ContactData:
    target_days: int
    # (started_on, ended_on) of each assignment that may fall in a period, by id.
    assignments: dict[int, tuple[date, date | None]] = field(default_factory=dict)
    # Each assignment's contact dates, sorted; and (date, kind) of every contact.
    dates: dict[int, list[date]] = field(default_factory=dict)
    contacts: list[tuple[date, str]] = field(default_factory=list)


def load_contacts(programme: Programme, first: date, last: date) -> ContactData | None:
    """The contacts and the assignments of a patient committee between two days: two
    queries. None for another programme (no contacts are reported there)."""
    if programme.kind != Programme.Kind.PATIENT_COMMITTEE:
        return None
    assignments = {
        pk: (started, ended)
        for pk, started, ended in Assignment.objects.filter(
            client__unit__programme=programme, started_on__lte=last
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values_list("pk", "started_on", "ended_on")
        .order_by()
    }
    data = ContactData(target_days=programme.contact_target_days, assignments=assignments)
    dates: dict[int, list[date]] = defaultdict(list)
    for assignment_id, on, kind in (
        SupportContact.objects.filter(
            assignment__client__unit__programme=programme, on__gte=first, on__lte=last
        )
        .values_list("assignment_id", "on", "kind")
        .order_by("on", "id")
    ):
        dates[assignment_id].append(on)
        data.contacts.append((on, kind))
    data.dates = dict(dates)
    return data


def meets_target(contact_dates: list[date], first: date, last: date, days: int) -> bool | None:
    """Whether every complete window of `days` days from `first` up to `last` holds a
    contact; None when there is no complete window. `contact_dates` sorted."""
    if days < 1 or (last - first).days + 1 < days:
        return None
    start = first
    while start + timedelta(days=days - 1) <= last:
        end = start + timedelta(days=days - 1)
        i = bisect.bisect_left(contact_dates, start)
        if i == len(contact_dates) or contact_dates[i] > end:
            return False
        start = end + _ONE_DAY
    return True


def contact_figures(data: ContactData | None, span: Span) -> ContactFigures | None:
    if data is None:
        return None
    kinds = Counter(kind for on, kind in data.contacts if span.contains(on))
    measured = met = 0
    if span.last >= span.first:
        for pk, (started, ended) in data.assignments.items():
            first = max(started, span.first)
            last = min(span.last, ended - _ONE_DAY) if ended else span.last
            result = meets_target(data.dates.get(pk, []), first, last, data.target_days)
            if result is not None:
                measured += 1
                met += result
    return {
        "by_kind": {kind: kinds.get(kind, 0) for kind in SupportContact.Kind.values},
        "total": sum(kinds.values()),
        "court_hearings": kinds.get(SupportContact.Kind.COURT_HEARING, 0),
        "target_days": data.target_days,
        "assignments_measured": measured,
        "meeting_target": met,
        "target_share": round(100 * met / measured, 1) if measured else None,
    }


def contacts_table(figures: ContactFigures | None, protect: Protector) -> Table | None:
    """The contacts of the period by kind, and the share of assignments meeting the target.
    Contacts are events, not persons; the share is of assignments (patients), so it falls
    under the small-count rule."""
    if figures is None:
        return None
    labels = dict(SupportContact.Kind.choices)
    rows: list[list[Value]] = [
        # In the order of the kinds, not the stored one (jsonb keeps its own order).
        [str(labels[kind]), figures["by_kind"][kind], None, None]
        for kind in labels
        if kind in figures["by_kind"]
    ]
    rows.append([_("Contacts in total"), figures["total"], None, None])
    rows.append([_("Court hearings attended"), figures["court_hearings"], None, None])
    k = protect.min_group_size
    met, measured = figures["meeting_target"], figures["assignments_measured"]
    label = _("Assignments meeting the contact target")
    if is_small(met, k) or is_small(measured, k) or is_small(measured - met, k):
        rows.append(
            [
                label,
                protect.hidden(secondary=not is_small(met, k)),
                protect.count(measured),
                protect.share(figures["target_share"], 0),
            ]
        )
    else:
        rows.append([label, met, measured, protect.share(figures["target_share"], measured)])
    return Table(
        "contacts",
        _("Contacts with the patients"),
        [_("Figure"), _("Number"), _("Of"), _("Share")],
        rows,
        _(
            "The contact target: at least one contact every %(days)s days, over each "
            "assignment's days in the period; a period not yet complete is not judged."
        )
        % {"days": figures["target_days"]},
    )
