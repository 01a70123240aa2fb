"""The checks of the volunteer's contacts (issue #16, item 4), on the patient committee's
programmes, with each programme's rules as data:

- NO_CONTACT (CASA's no-contact flag): an active assignment whose last contact, or its
  start when it has none, is more than `no_contact_days` ago. A contact exactly that many
  days ago is not yet a miss.
- REPORT_LATE: a month of an assignment not submitted by the `report_due_working_day`-th
  working day of the next month (Swedish calendar, stodperson/workdays.py). A report that
  was submitted, approved, or returned for correction is not late. Only months that ended
  within the last year count, so an assignment from before the reports began does not
  carry a flag for ever.

Each is a set: a few queries whatever the number of assignments; the flag hangs on the
assignment (its target) and its client.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments.contacts import MonthlyReport, month_of, next_month, report_due_on
from assignments.models import Assignment
from clients.models import Programme

from .models import Flag
from .sync import CheckResult, Wanted, iso, per_programme, synced

Kind = Flag.Kind
_LOOKBACK_MONTHS = 12


def _committees() -> list[Programme]:
    return list(Programme.objects.filter(kind=Programme.Kind.PATIENT_COMMITTEE))


def check_no_contact(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """An active assignment of the patient committee without a contact for more than the
    programme's `no_contact_days` (counted from its start when it has none)."""
    condition = per_programme(
        _committees(),
        lambda p: Q(last_seen__lt=today - timedelta(days=p.no_contact_days)),
        "client__unit__",
    )
    rows = (
        Assignment.objects.active_on(today)
        .exclude(client__ended_on__lte=today)
        .annotate(last_contact=Max("contacts__on", filter=Q(contacts__on__lte=today)))
        .alias(last_seen=Coalesce(F("last_contact"), F("started_on")))
        .filter(condition)
        .values_list("pk", "client_id", "last_contact")
        .order_by()
    )
    wanted = {
        pk: Wanted(
            client_id,
            _("Last contact %(date)s") % {"date": iso(last)} if last else _("No contact yet"),
        )
        for pk, client_id, last in rows
    }
    return synced({Kind.NO_CONTACT: wanted}, now)


def _months(first: date, last: date) -> list[date]:
    months = []
    month = month_of(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def late_months(
    *, started_on: date, ended_on: date | None, due_day: int, handed_in: set[date], today: date
) -> list[date]:
    """The months of one assignment past their due day and not handed in, oldest first."""
    this_month = month_of(today)
    oldest = this_month
    for _i in range(_LOOKBACK_MONTHS):
        oldest = month_of(oldest - timedelta(days=1))
    last_day = min(ended_on, today) if ended_on else today
    late = []
    for month in _months(max(started_on, oldest), last_day):
        if month >= this_month or month in handed_in:
            continue
        if today > report_due_on(month, due_day):
            late.append(month)
    return late


def check_report_late(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """A month of a patient committee's assignment whose report was not submitted by the
    programme's working day of the next month. Two queries: the assignments that ran in
    the window, and the reports handed in for them."""
    programmes = {p.pk: p for p in _committees()}
    window = month_of(today)
    for _i in range(_LOOKBACK_MONTHS):
        window = month_of(window - timedelta(days=1))
    assignments = list(
        Assignment.objects.filter(client__unit__programme__in=list(programmes))
        .filter(started_on__lt=month_of(today))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=window))
        # As every check but the deviations' (flags/checks.py, STAYS_AFTER_THE_CLIENT_ENDED):
        # none for a patient who has left the register.
        .exclude(client__ended_on__lte=today)
        .values_list("pk", "client_id", "started_on", "ended_on", "client__unit__programme_id")
        .order_by()
    )
    handed_in: dict[int, set[date]] = defaultdict(set)
    for assignment_id, month in (
        MonthlyReport.objects.filter(
            assignment__client__unit__programme__in=list(programmes), month__gte=window
        )
        .exclude(state=MonthlyReport.State.DRAFT)
        .values_list("assignment_id", "month")
        .order_by()
    ):
        handed_in[assignment_id].add(month)
    wanted: dict[int, Wanted] = {}
    for pk, client_id, started_on, ended_on, programme_id in assignments:
        late = late_months(
            started_on=started_on,
            ended_on=ended_on,
            due_day=programmes[programme_id].report_due_working_day,
            handed_in=handed_in[pk],
            today=today,
        )
        if late:
            wanted[pk] = Wanted(
                client_id,
                _("Not submitted: %(months)s")
                % {"months": ", ".join(date_format(m, "YEAR_MONTH_FORMAT") for m in late)},
            )
    return synced({Kind.REPORT_LATE: wanted}, now)
