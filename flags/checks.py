"""The background checks of domain.md ("Rules the system checks"), and the one count of
open flags that every screen and the digest show.

Each check is a plain function of `today`: it computes the set of targets that should carry
a flag of its kind, in a fixed number of set-based queries whatever the number of clients,
then opens the flags that are missing and resolves the open ones whose cause is gone. A flag
is never deleted; one that comes back after it was resolved is a new row. The partial unique
constraint `flag_one_open_per_kind_and_target` and `bulk_create(ignore_conflicts=True)`
keep two runs at the same time from opening the same flag twice.

The Celery tasks (tasks.py) and `manage.py run_checks` call `run_checks`; tests pass
`today` instead of moving the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.clock import RequestState
from assignments.models import Assignment, SupportRequest
from clients.models import Client, Consent, Deviation, Programme, RiskMeasure, Unit
from duties.models import DutyCheck, DutyTemplate
from stodperson.dates import active_on

from .care_checks import check_extension_ending, release_ended_extensions
from .consent_checks import check_measure_without_consent
from .contact_checks import check_no_contact, check_report_late
from .deviation_checks import check_deviation_uninvestigated, check_ivo_report_late
from .models import Flag
from .sync import CheckResult, Wanted, iso, per_programme, start_of_day, synced
from .volunteer_checks import check_background_check

if TYPE_CHECKING:
    from django.contrib.auth.models import User


Kind = Flag.Kind
_ONE_DAY = timedelta(days=1)


# --- Counting open flags: the dashboard, the flags page, the nav badge and the digest ---


class FlagCount(NamedTuple):
    kind: str
    label: str
    number: int


def open_flag_counts(flags: QuerySet[Flag]) -> list[FlagCount]:
    """Open flags per kind, in the order of Flag.Kind, kinds with none left out. One query.
    Every screen that shows flag counts calls this with its own scope, so they agree."""
    counts = dict(
        flags.filter(resolved_at__isnull=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        FlagCount(kind, str(label), counts[kind]) for kind, label in Kind.choices if kind in counts
    ]


def flags_of_units(units: QuerySet[Unit]) -> QuerySet[Flag]:
    """The flags a unit manager follows up: those of the clients of these units."""
    return Flag.objects.filter(client__unit__in=units)


def flags_of_person(user: User) -> QuerySet[Flag]:
    """The flags of a person's own work: the clients of the units they manage and the
    clients assigned to them now. Unlike Flag.objects.visible_to, an administrator is not
    given every flag (the digest is for the work that is theirs)."""
    return Flag.objects.filter(Flag.objects.scope(user, write=False))


# --- Duties: the implementation plan and the monthly documentation (routine A) ----------


def _last_done(code: str) -> Subquery:
    """The date of the client's last current tick of their programme's duty with this code,
    by any support person the client has had (as on the checklist)."""
    return Subquery(
        DutyCheck.objects.current()
        .filter(
            assignment__client=OuterRef("pk"),
            template__code=code,
            template__programme=OuterRef("unit__programme"),
        )
        .order_by("-done_on")
        .values("done_on")[:1]
    )


def _ticked(template: DutyTemplate, since: date | None = None) -> Exists:
    """The client has a current tick of this duty (on or after `since`). EXISTS, which the
    database runs as a (anti-)join on the index on (template, done_on, assignment), where a
    subquery per client for the last tick read every client's ticks several times over, and
    NOT IN can fall back to rereading the ticks for every client (issue #8)."""
    ticks = DutyCheck.objects.current().filter(template=template, assignment__client=OuterRef("pk"))
    if since is not None:
        ticks = ticks.filter(done_on__gte=since)
    return Exists(ticks)


def _rolling_overdue(template: DutyTemplate, today: date) -> Q:
    """Overdue in DutyTemplate.next_due/state terms: the last tick is more than the interval
    ago, or there is none and the grace period (client start + grace days) is over. (No
    tick since stale_before is the same as a last tick before it, or none.)"""
    return (
        active_on(today)
        & Q(~_ticked(template, template.stale_before(today)))
        & (Q(_ticked(template)) | Q(started_on__lt=today - timedelta(days=template.grace_days)))
    )


def _calendar_overdue(template: DutyTemplate, today: date) -> Q:
    """Nothing in the last completed period of calendar months (for monthly documentation:
    nothing dated in the previous month or later), for a client who was active on the
    period's last day and still is, and whose grace period had ended by then. A client who
    joined late in the month is not flagged for a month they were in grace for most of."""
    period_end = today.replace(day=1) - _ONE_DAY
    return (
        active_on(period_end)
        & active_on(today)  # the checks stop for a client who has ended since
        & Q(started_on__lte=period_end - timedelta(days=template.grace_days))
        & Q(~_ticked(template, template.stale_before(today)))
    )


def _duty_targets(code: str, today: date) -> dict[int, Wanted]:
    """Clients whose duty with this code is overdue, in the programmes whose checklist has
    it as a recurring duty in use. Two queries; the last tick is read only for the clients
    found, for the flag's detail."""
    templates = list(
        DutyTemplate.objects.filter(code=code, is_active=True, interval_months__isnull=False)
    )
    condition = Q(pk__in=[])
    for template in templates:
        rule = _calendar_overdue if template.per_calendar_month else _rolling_overdue
        condition |= Q(unit__programme_id=template.programme_id) & rule(template, today)
    rows = (
        Client.objects.annotate(last_done=_last_done(code))
        .filter(condition)
        .values_list("pk", "last_done")
        .order_by()
    )
    return {
        client_id: Wanted(
            client_id,
            _("Last done %(date)s") % {"date": last_done.isoformat()}
            if last_done
            else _("Never done"),
        )
        for client_id, last_done in rows
    }


def check_plan_overdue(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 2: the implementation plan reviewed at most `interval_months` ago."""
    return synced(
        {Kind.PLAN_OVERDUE: _duty_targets(DutyTemplate.Code.IMPLEMENTATION_PLAN, today)}, now
    )


def check_documentation_missing(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 3: social documentation at least once per calendar month."""
    return synced(
        {Kind.DOCUMENTATION_MISSING: _duty_targets(DutyTemplate.Code.DOCUMENTATION, today)}, now
    )


# --- Requests: the working-day clock (rule 5) ------------------------------------------


def check_requests(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 5: open requests (not withdrawn, no assignment) past their target, or due within
    a working day. The calendar is Python's, so the open requests and their pauses are read
    in two queries and each one's clock (SupportRequest.clock) is worked out here. Withdrawn
    or answered requests drop out of the set, which resolves their flags."""
    requests = (
        SupportRequest.objects.open()
        .filter(received_at__lt=start_of_day(today + _ONE_DAY))
        .exclude(client__ended_on__lte=today)
        .only_clock()
        .order_by()
    )
    late: dict[int, Wanted] = {}
    due_soon: dict[int, Wanted] = {}
    for request in requests:
        clock = request.clock(today)
        wanted = {RequestState.LATE: late, RequestState.DUE_SOON: due_soon}.get(clock.state)
        if wanted is not None and clock.deadline is not None:
            detail = _("Deadline %(date)s") % {"date": clock.deadline.isoformat()}
            wanted[request.pk] = Wanted(request.client_id, detail)
    return synced({Kind.REQUEST_LATE: late, Kind.REQUEST_DUE_SOON: due_soon}, now)


# --- Support person, consents, risks, deviations, care ended --------------------------


def check_no_support_person(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 1 (routine A, personal assistance): an active client without an active
    assignment, once the programme's grace period for a new client is over. A patient at
    the patient committee has a support person only on request, so has no such flag."""
    condition = per_programme(
        Programme.objects.filter(kind=Programme.Kind.PERSONAL_ASSISTANCE),
        lambda p: Q(started_on__lt=today - timedelta(days=p.new_client_grace_days)),
        "unit__",
    )
    rows = (
        Client.objects.active_on(today)
        .exclude(pk__in=Assignment.objects.active_on(today).values("client_id"))
        .filter(condition)
        .values_list("pk", flat=True)
        .order_by()
    )
    return synced({Kind.NO_SUPPORT_PERSON: {pk: Wanted(pk) for pk in rows}}, now)


def check_consent_review(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 4 (the routine: "Se till att brukarens samtycken är aktuella"): a current consent
    of an active client (not replaced by a renewal) that is past its review date, or that
    has been withdrawn while something still rests on it: a measure not ended, or a
    relative's contact not ended (ConsentQuerySet.needing_attention_on). A withdrawn consent
    with nothing resting on it needs no more action, so it is not flagged; once the measure
    or the contact ends (or moves to another consent), the next run resolves the flag.
    Renewing resolves the old consent's flag at once (consent_checks.py) and the check stops
    raising it: the old row is replaced."""
    rows = (
        Consent.objects.needing_attention_on(today)
        .filter(client__in=Client.objects.active_on(today))
        .values_list("pk", "client_id", "review_on", "withdrawn_on")
        .order_by()
    )
    wanted = {}
    for pk, client_id, review_on, withdrawn_on in rows:
        if withdrawn_on is not None and withdrawn_on <= today:
            detail = _("Withdrawn %(date)s") % {"date": withdrawn_on.isoformat()}
        else:
            detail = _("Review by %(date)s") % {"date": iso(review_on)}
        wanted[pk] = Wanted(client_id, detail)
    return synced({Kind.CONSENT_REVIEW: wanted}, now)


def check_risk_follow_up(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 4: a risk assessment or measure of an active client, not ended, whose follow-up
    date has passed (RiskMeasure.is_follow_up_overdue_on)."""
    rows = (
        RiskMeasure.objects.filter(
            ended_on__isnull=True,
            follow_up_on__lt=today,
            client__in=Client.objects.active_on(today),
        )
        .values_list("pk", "client_id", "follow_up_on")
        .order_by()
    )
    wanted = {
        pk: Wanted(client_id, _("Follow up by %(date)s") % {"date": iso(follow_up_on)})
        for pk, client_id, follow_up_on in rows
    }
    return synced({Kind.RISK_FOLLOW_UP: wanted}, now)


def check_deviation_open(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 4: a deviation not closed more than the programme's `deviation_max_open_days`
    after it occurred. Also for a client who has ended: a lex Sarah case still needs closing."""
    condition = per_programme(
        Programme.objects.all(),
        lambda p: Q(occurred_on__lt=today - timedelta(days=p.deviation_max_open_days)),
        "client__unit__",
    )
    rows = (
        Deviation.objects.exclude(status=Deviation.Status.CLOSED)
        .filter(condition)
        .values_list("pk", "client_id", "occurred_on")
        .order_by()
    )
    wanted = {
        pk: Wanted(client_id, _("Occurred %(date)s") % {"date": occurred_on.isoformat()})
        for pk, client_id, occurred_on in rows
    }
    return synced({Kind.DEVIATION_OPEN: wanted}, now)


def check_care_ended(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Rule 6 (patient committee): an assignment still active more than the programme's
    `care_ended_release_days` after the client's compulsory care ended. An extension that
    ends today is released first (care_checks.py), so the flag is for what is left."""
    release_ended_extensions(today, now=now)
    condition = per_programme(
        Programme.objects.filter(kind=Programme.Kind.PATIENT_COMMITTEE),
        lambda p: Q(
            client__compulsory_care_ended_on__lt=today - timedelta(days=p.care_ended_release_days)
        ),
        "client__unit__",
    )
    rows = (
        Assignment.objects.active_on(today)
        .filter(condition)
        .exclude(client__ended_on__lte=today)
        .values_list("pk", "client_id", "client__compulsory_care_ended_on")
        .order_by()
    )
    wanted = {
        pk: Wanted(client_id, _("Care ended %(date)s") % {"date": iso(ended)})
        for pk, client_id, ended in rows
    }
    return synced({Kind.CARE_ENDED: wanted}, now)


# --- A client who has ended -----------------------------------------------------------

# An open deviation outlives the client: it is still to be investigated and closed, a lex
# Sarah case above all (SOSFS 2011:5), so check_deviation_open keeps its flag.
STAYS_AFTER_THE_CLIENT_ENDED = frozenset(
    {Kind.DEVIATION_OPEN, Kind.DEVIATION_UNINVESTIGATED, Kind.IVO_REPORT_LATE}
)


def resolve_flags_of_ended_client(client: Client, *, now: datetime | None = None) -> int:
    """Close the open flags of a client who has ended at once, as the checks' next run would
    (they look at active clients only), so that no screen counts them until then. Returns
    how many were closed."""
    if client.is_active_on(timezone.localdate()):
        return 0
    return (
        Flag.objects.open()
        .filter(client=client)
        .exclude(kind__in=STAYS_AFTER_THE_CLIENT_ENDED)
        .update(resolved_at=now or timezone.now())
    )


# --- Running them ----------------------------------------------------------------------

Check = Callable[..., list[CheckResult]]

# Each kind, and the check that raises it (the request check raises two kinds).
CHECKS: dict[str, Check] = {
    Kind.PLAN_OVERDUE: check_plan_overdue,
    Kind.DOCUMENTATION_MISSING: check_documentation_missing,
    Kind.REQUEST_LATE: check_requests,
    Kind.REQUEST_DUE_SOON: check_requests,
    Kind.NO_SUPPORT_PERSON: check_no_support_person,
    Kind.CONSENT_REVIEW: check_consent_review,
    Kind.RISK_FOLLOW_UP: check_risk_follow_up,
    Kind.DEVIATION_OPEN: check_deviation_open,
    Kind.CARE_ENDED: check_care_ended,
    Kind.DEVIATION_UNINVESTIGATED: check_deviation_uninvestigated,
    Kind.IVO_REPORT_LATE: check_ivo_report_late,
    Kind.MEASURE_WITHOUT_CONSENT: check_measure_without_consent,
    Kind.BACKGROUND_CHECK: check_background_check,
    Kind.NO_CONTACT: check_no_contact,
    Kind.REPORT_LATE: check_report_late,
    Kind.EXTENSION_ENDING: check_extension_ending,
}


def run_checks(
    *, today: date | None = None, only: Iterable[str] | None = None
) -> list[CheckResult]:
    """Run the checks for these kinds (all by default) as of `today`. Each check commits on
    its own, so one that fails does not undo the others' work."""
    day = today or timezone.localdate()
    kinds = list(only) if only else list(CHECKS)
    unknown = [kind for kind in kinds if kind not in CHECKS]
    if unknown:
        raise ValueError(f"Unknown flag kind: {', '.join(unknown)}")
    checks = list(dict.fromkeys(CHECKS[kind] for kind in kinds))
    results: list[CheckResult] = []
    # The detail is stored text: write it in the site's language, not the caller's.
    with translation.override(settings.LANGUAGE_CODE):
        for check in checks:
            results.extend(check(day))
    return results
