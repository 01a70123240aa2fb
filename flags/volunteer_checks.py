"""The checks of the patient committee's volunteers (issue 16, item 2): the background
check (utdrag ur belastningsregistret) that runs out.

To the office: a flag of kind BACKGROUND_CHECK on the support person (no client), open from
60 days before the check runs out; its detail names the warning reached (60, 30 or 7 days,
or run out). Reaching the next warning resolves the flag and raises a new one, so each
warning is new to the office. Only administrators see these flags (FlagQuerySet.scope).

To the volunteer: a mail per warning, with no personal data, sent once: the
BackgroundCheckNotice row (person, date the check runs out, warning) is written before the
mail and is unique, so a second run or a second worker sends nothing. A failed mail gives
its claim back for the next run. The volunteer also sees the warning on their home page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.models import Programme
from supportpersons.models import SupportPerson
from supportpersons.volunteers import check_runs_out, warning_threshold, with_background_check

from .models import BackgroundCheckNotice, Flag
from .sync import CheckResult, Wanted, synced

logger = logging.getLogger(__name__)

Kind = Flag.Kind


@dataclass(frozen=True)
class CheckWarning:
    support_person_id: int
    email: str
    runs_out: date
    threshold: int  # 60, 30, 7, or 0 once it has run out


def background_check_warnings(today: date) -> list[CheckWarning]:
    """The active volunteers whose passed background check runs out within 60 days or has
    run out, with the warning reached. One query."""
    rows = (
        with_background_check(
            SupportPerson.objects.filter(
                programme__kind=Programme.Kind.PATIENT_COMMITTEE,
                status=SupportPerson.Status.ACTIVE,
            )
        )
        .exclude(background_checked_on=None)  # type: ignore[misc]
        .values_list(
            "pk", "email", "background_checked_on", "programme__background_check_valid_months"
        )
        .order_by("pk")
    )
    warnings = []
    for pk, email, checked_on, months in rows:
        runs_out = check_runs_out(checked_on, months)
        assert runs_out is not None
        threshold = warning_threshold(runs_out, today=today)
        if threshold is not None:
            warnings.append(CheckWarning(pk, email, runs_out, threshold))
    return warnings


def flag_detail(warning: CheckWarning) -> str:
    day = warning.runs_out.isoformat()
    if warning.threshold == 0:
        return _("Ran out %(date)s") % {"date": day}
    return ngettext(
        "Runs out %(date)s (the %(days)s-day warning)",
        "Runs out %(date)s (the %(days)s-day warning)",
        warning.threshold,
    ) % {"date": day, "days": warning.threshold}


def check_background_check(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Three queries beside synced's: the warnings, the open flags, and one UPDATE that
    resolves the flags whose warning has moved on (synced then raises the new one)."""
    wanted = {
        w.support_person_id: Wanted(None, flag_detail(w), support_person_id=w.support_person_id)
        for w in background_check_warnings(today)
    }
    moved_on = [
        pk
        for pk, target_id, detail in Flag.objects.filter(
            kind=Kind.BACKGROUND_CHECK, resolved_at__isnull=True
        ).values_list("pk", "target_id", "detail")
        if target_id in wanted and wanted[target_id].detail != detail
    ]
    if moved_on:
        Flag.objects.filter(pk__in=moved_on, resolved_at__isnull=True).update(
            resolved_at=now or timezone.now()
        )
    return synced({Kind.BACKGROUND_CHECK: wanted}, now)


# --- The mail to the volunteer ------------------------------------------------------------


@dataclass(frozen=True)
class NoticeResult:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


def render_notice(threshold: int) -> tuple[str, str]:
    """Subject and body: no name, no date, no patient (email is not a secure channel)."""
    if threshold == 0:
        subject = _("Your extract from the criminal record has run out")
    else:
        subject = _("Your extract from the criminal record runs out soon")
    body = render_to_string(
        "emails/background_check_notice.txt",
        {
            "threshold": threshold,
            "url": settings.SITE_URL.rstrip("/") + reverse("overview:volunteer_home"),
        },
    )
    return subject, body


def send_background_check_notices(*, today: date | None = None) -> NoticeResult:
    """Mail each volunteer the warning they have reached, once per warning. Two queries for
    the run, then a claim, the mail and a mark per mail sent."""
    day = today or timezone.localdate()
    warnings = [w for w in background_check_warnings(day) if w.email]
    done = set(
        BackgroundCheckNotice.objects.filter(
            Q(support_person_id__in=[w.support_person_id for w in warnings])
        ).values_list("support_person_id", "expires_on", "threshold")
    )
    outcomes = {"sent": 0, "already_sent": 0, "failed": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for warning in warnings:
            key = (warning.support_person_id, warning.runs_out, warning.threshold)
            outcome = "already_sent" if key in done else _send_one(warning)
            outcomes[outcome] += 1
    result = NoticeResult(**outcomes)
    logger.info("Background check notices: %s", result)
    return result


def _send_one(warning: CheckWarning) -> str:
    try:
        with transaction.atomic():
            claim = BackgroundCheckNotice.objects.create(
                support_person_id=warning.support_person_id,
                expires_on=warning.runs_out,
                threshold=warning.threshold,
            )
    except IntegrityError:
        return "already_sent"  # another run got there first
    subject, body = render_notice(warning.threshold)
    try:
        send_mail(subject, body, None, [warning.email])
    except Exception:
        logger.exception("Could not send the background check notice %s", claim.pk)
        claim.delete()
        return "failed"
    BackgroundCheckNotice.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return "sent"
