"""The daily job and check of the weeks after compulsory care ended (LPT 30 §, LRV 26 §;
assignments/care_end.py records the end and the wishes).

- `release_ended_extensions`: an assignment that continued at the patient's and the support
  person's wish is released on its release day (the programme's care_ended_release_days
  after care ended), with the reason "extension ended". The due care ends are found in one
  query and claimed in one conditional UPDATE inside a transaction (the rows locked on
  PostgreSQL, the transaction IMMEDIATE on SQLite), so two workers never release the same
  assignment twice; then each goes through assignments.services.assignment_end.
- `check_extension_ending`: the reminder a week before. A flag of kind EXTENSION_ENDING on
  the assignment from exactly seven days before the release day until it is released, and
  a notice by mail to the support person if they have a user, claimed the same way
  (CareEnd.reminded_at). The mail names no patient: a count and a link only.

The CARE_ENDED check (checks.check_care_ended) agrees: it releases what is due first, then
flags an assignment still active after its release day.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.care_end import care_end_release_claimed
from assignments.care_end_models import extension_release_on
from assignments.models import Assignment, CareEnd
from clients.models import Programme

from .models import Flag
from .sync import CheckResult, Wanted, per_programme, synced

logger = logging.getLogger("flags.checks")

# The reminder comes this long before the release day.
REMINDER_DAYS = 7


def _extended(care_ends: QuerySet[CareEnd]) -> QuerySet[CareEnd]:
    """Care ends with both wishes, of active assignments at the patient committee."""
    return care_ends.filter(
        patient_wants_extension=True,
        support_person_wants_extension=True,
        assignment__ended_on__isnull=True,
        assignment__client__unit__programme__kind=Programme.Kind.PATIENT_COMMITTEE,
        assignment__client__compulsory_care_ended_on__isnull=False,
    )


def _released_by(today: date, *, days_before: int = 0) -> Q:
    """Care ends whose release day is on or before `today` + days_before: each programme's
    own number of days, one condition for all."""
    return per_programme(
        Programme.objects.filter(kind=Programme.Kind.PATIENT_COMMITTEE),
        lambda p: Q(
            assignment__client__compulsory_care_ended_on__lte=today
            + timedelta(days=days_before - p.care_ended_release_days)
        ),
        "assignment__client__unit__",
    )


def release_ended_extensions(today: date, *, now: datetime | None = None) -> list[Assignment]:
    """Release every extended assignment whose release day has come. A few queries for the
    set, then assignment_end for each one released (there are few a day)."""
    now = now or timezone.now()
    due = list(
        _extended(CareEnd.objects.all())
        .filter(_released_by(today), release_claimed_at__isnull=True)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    if not due:
        return []
    with transaction.atomic():
        # Locked, and read again: a run that got there first has claimed them.
        claimed = list(
            CareEnd.objects.select_for_update()
            .filter(pk__in=due, release_claimed_at__isnull=True)
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        CareEnd.objects.filter(pk__in=claimed, release_claimed_at__isnull=True).update(
            release_claimed_at=now
        )
        released = care_end_release_claimed(care_end_ids=claimed, now=now)
    for assignment in released:
        logger.info("Extension ended: assignment %s released", assignment.pk)
    return released


def _reminder_targets(today: date) -> dict[int, Wanted]:
    rows = (
        _extended(CareEnd.objects.all())
        .filter(_released_by(today, days_before=REMINDER_DAYS))
        .values_list(
            "assignment_id",
            "assignment__client_id",
            "assignment__client__compulsory_care_ended_on",
            "assignment__client__unit__programme__care_ended_release_days",
        )
        .order_by()
    )
    wanted = {}
    for assignment_id, client_id, ended, days in rows:
        assert ended is not None  # _extended: care has ended
        release_on = extension_release_on(ended, days)
        wanted[assignment_id] = Wanted(
            client_id, _("Released %(date)s") % {"date": release_on.isoformat()}
        )
    return wanted


def send_extension_reminders(today: date, *, now: datetime | None = None) -> int:
    """The notice to each support person with a user and an address whose extension ends
    within a week, once per care end (claimed before the mail is sent; a mail that fails
    gives its claim back). Returns the number of mails sent."""
    now = now or timezone.now()
    due = dict(
        _extended(CareEnd.objects.all())
        .filter(
            _released_by(today, days_before=REMINDER_DAYS),
            reminded_at__isnull=True,
            assignment__support_person__user__is_active=True,
        )
        .exclude(assignment__support_person__user__email="")
        .values_list("pk", "assignment__support_person__user__email")
        .order_by("pk")
    )
    if not due:
        return 0
    with transaction.atomic():
        # Locked, and read again: a run that got there first has claimed them.
        claimed = set(
            CareEnd.objects.select_for_update()
            .filter(pk__in=list(due), reminded_at__isnull=True)
            .values_list("pk", flat=True)
        )
        CareEnd.objects.filter(pk__in=claimed).update(reminded_at=now)
    due = {pk: email for pk, email in due.items() if pk in claimed}
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Support person register: an assignment ends soon")
        body = render_to_string(
            "emails/extension_ending.txt",
            {"days": REMINDER_DAYS, "url": settings.SITE_URL.rstrip("/") + reverse("home")},
        )
    for pk, email in due.items():
        try:
            send_mail(subject, body, None, [email])
        except Exception:
            logger.exception("Could not send the extension reminder of care end %s", pk)
            CareEnd.objects.filter(pk=pk, reminded_at=now).update(reminded_at=None)
        else:
            sent += 1
    return sent


def check_extension_ending(today: date, *, now: datetime | None = None) -> list[CheckResult]:
    """Release what is due, then flag the extensions that end within a week (from exactly
    seven days before the release day), and send their notices."""
    release_ended_extensions(today, now=now)
    results = synced({Flag.Kind.EXTENSION_ENDING: _reminder_targets(today)}, now)
    send_extension_reminders(today, now=now)
    return results
