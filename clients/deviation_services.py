"""The steps of a deviation's handling (issue 15, item 1): reported -> under investigation ->
measures decided -> closed, and for a serious lex Sarah case the report to IVO (LSS 24 f §,
SOSFS 2011:5 7 kap.: "snarast"). Each step is a keyword-only function in a transaction that
locks the deviation at the version the form was filled in against (stodperson/concurrency),
checks the order of the steps and the date, records who and when, and resolves at once the
flags the step has answered. The flags are reached through the relation the flags app
declares on the client (`Client.flags`): this app stands below flags and never imports it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stodperson.concurrency import lock_unchanged
from stodperson.errors import ServiceError, check_done_date

from .records import Deviation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Status = Deviation.Status

# The flag kinds (flags.models.Flag.Kind) a step answers; tests/clients/test_deviations.py
# keeps them equal to the flags app's.
UNINVESTIGATED = "deviation_uninvestigated"
IVO_REPORT_LATE = "ivo_report_late"
OPEN_TOO_LONG = "deviation_open"


def _locked(deviation: Deviation, version: str, status: str) -> Deviation:
    """The deviation, locked, at the version of the form and at the step's status."""
    locked = lock_unchanged(Deviation.objects.select_related("client"), deviation.pk, version)
    if locked.status != status:
        raise ServiceError(
            _(
                "This step cannot be taken now: the status of the deviation is “%(status)s”. "
                "The steps are taken in order: reported, under investigation, measures "
                "decided, closed."
            )
            % {"status": locked.get_status_display()}
        )
    return locked


def _resolve_flags(deviation: Deviation, *kinds: str) -> int:
    """Resolve the open flags of these kinds on this deviation: the step has answered them,
    and the next run of the checks would find the same."""
    return deviation.client.flags.filter(  # type: ignore[attr-defined]
        kind__in=kinds, target_id=deviation.pk, resolved_at__isnull=True
    ).update(resolved_at=timezone.now())


@transaction.atomic
def deviation_investigate(*, deviation: Deviation, on: date, version: str, by: User) -> Deviation:
    """The unit manager takes a reported deviation under investigation."""
    locked = _locked(deviation, version, Status.OPEN)
    check_done_date(
        on,
        not_before=max(locked.reported_on, locked.occurred_on),
        what=_("The start of the investigation"),
    )
    locked.status = Status.HANDLING
    locked.investigated_on = on
    locked.investigated_by = by
    locked.save()
    _resolve_flags(locked, UNINVESTIGATED)
    return locked


@transaction.atomic
def deviation_decide_measures(
    *,
    deviation: Deviation,
    on: date,
    measures: str,
    findings: str,
    is_serious: bool | None,
    version: str,
    by: User,
) -> Deviation:
    """The unit manager records what the investigation found and the measures decided; for a
    lex Sarah report also whether it is a serious wrong, which starts IVO's limit."""
    locked = _locked(deviation, version, Status.HANDLING)
    assert locked.investigated_on is not None
    check_done_date(on, not_before=locked.investigated_on, what=_("The decision"))
    if not measures.strip():
        raise ServiceError(_("Write the measures taken."))
    if locked.is_lex_sarah:
        if not findings.strip():
            raise ServiceError(_("Write what the investigation found."))
        if is_serious is None:
            raise ServiceError(_("Say whether it is a serious wrong."))
    else:
        is_serious = None
    locked.status = Status.MEASURES_DECIDED
    locked.measures_decided_on = on
    locked.measures_decided_by = by
    locked.measures = measures.strip()
    locked.findings = findings.strip()
    locked.is_serious = is_serious
    locked.save()
    return locked


@transaction.atomic
def deviation_report_to_ivo(*, deviation: Deviation, on: date, version: str, by: User) -> Deviation:
    """The day a serious lex Sarah case was reported to IVO."""
    locked = lock_unchanged(Deviation.objects.select_related("client"), deviation.pk, version)
    if not locked.awaits_ivo_report or locked.measures_decided_on is None:
        raise ServiceError(
            _("Only a lex Sarah case decided to be a serious wrong is reported to IVO, once.")
        )
    check_done_date(on, not_before=locked.measures_decided_on, what=_("The report to IVO"))
    locked.ivo_reported_on = on
    locked.ivo_reported_by = by
    locked.save()
    _resolve_flags(locked, IVO_REPORT_LATE)
    return locked


@transaction.atomic
def deviation_close(*, deviation: Deviation, on: date, version: str, by: User) -> Deviation:
    """The unit manager closes a deviation whose measures are decided; a serious lex Sarah
    case only once it has been reported to IVO."""
    locked = _locked(deviation, version, Status.MEASURES_DECIDED)
    if locked.awaits_ivo_report:
        raise ServiceError(_("A serious wrong is reported to IVO before the deviation is closed."))
    assert locked.measures_decided_on is not None
    floor = max(filter(None, [locked.measures_decided_on, locked.ivo_reported_on]))
    check_done_date(on, not_before=floor, what=_("The closing date"))
    locked.status = Status.CLOSED
    locked.closed_on = on
    locked.closed_by = by
    locked.save()
    _resolve_flags(locked, UNINVESTIGATED, IVO_REPORT_LATE, OPEN_TOO_LONG)
    return locked
