"""The checks of a deviation's handling (issue 15, item 1), with their limits as data on the
programme: a deviation reported and not taken under investigation within
`deviation_investigation_days`, and a serious lex Sarah case not reported to IVO within
`ivo_report_days` of the decision that it is serious (LSS 24 f §: "snarast"; SOSFS 2011:5).
Registered in checks.CHECKS. Like check_deviation_open they go on after the client has
ended: the case is still the unit's to handle.

"Within N days": a deviation reported on day D is flagged from day D + N + 1 (on the N-th
day it is still in time), as the other checks count their limits."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from clients.models import Deviation, Programme

from .models import Flag
from .sync import CheckResult, Wanted, iso, per_programme, synced


def check_deviation_uninvestigated(
    today: date, *, now: datetime | None = None
) -> list[CheckResult]:
    """A deviation still reported (not under investigation) more than the programme's
    `deviation_investigation_days` after it was reported."""
    condition = per_programme(
        Programme.objects.all(),
        lambda p: Q(reported_on__lt=today - timedelta(days=p.deviation_investigation_days)),
        "client__unit__",
    )
    rows = (
        Deviation.objects.filter(status=Deviation.Status.OPEN)
        .filter(condition)
        .values_list("pk", "client_id", "reported_on")
        .order_by()
    )
    wanted = {
        pk: Wanted(client_id, _("Reported %(date)s") % {"date": iso(reported_on)})
        for pk, client_id, reported_on in rows
    }
    return synced({Flag.Kind.DEVIATION_UNINVESTIGATED: wanted}, now)


def check_ivo_report_late(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """A lex Sarah case decided to be a serious wrong, not reported to IVO more than the
    programme's `ivo_report_days` after that decision."""
    condition = per_programme(
        Programme.objects.all(),
        lambda p: Q(measures_decided_on__lt=today - timedelta(days=p.ivo_report_days)),
        "client__unit__",
    )
    rows = (
        Deviation.objects.filter(
            category=Deviation.Category.LEX_SARAH,
            is_serious=True,
            ivo_reported_on__isnull=True,
        )
        .filter(condition)
        .values_list("pk", "client_id", "measures_decided_on")
        .order_by()
    )
    wanted = {
        pk: Wanted(client_id, _("Decided serious %(date)s") % {"date": iso(decided_on)})
        for pk, client_id, decided_on in rows
    }
    return synced({Flag.Kind.IVO_REPORT_LATE: wanted}, now)
