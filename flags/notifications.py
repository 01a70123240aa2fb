"""The daily digest of flags: one mail per person and day, counts and a link only.

Email is not a secure channel (domain.md, "Privacy obligations"), so the mail names no
client, no personnummer and no unit: only how many open flags of each kind there are in the
person's own work, how many are new, and a link to the flags page behind the login.

Who gets one: each unit manager (the flags of the clients of their units) and each support
person (the flags of the clients assigned to them now); someone who is both gets one mail
for both. "New" is a flag raised after the person's previous digest was put together, or
one that no digest has included yet (Flag.notified_at is empty). Nothing new, no mail.

At most one a day: the DigestLog row for (user, day) is written before the mail is sent
and is unique, so a second run, or a second worker at the same time, finds it and sends
nothing. A mail that fails to send gives its claim back, so the next run tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from assignments.models import Assignment
from clients.models import Unit

from .checks import FlagCount, flags_of_person, open_flag_counts
from .models import DigestLog, Flag

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestLine:
    kind: str
    label: str
    open: int
    new: int


@dataclass(frozen=True)
class DigestResult:
    sent: int = 0
    nothing_new: int = 0
    already_sent: int = 0
    failed: int = 0


def digest_recipients() -> QuerySet[User]:
    """Active users with an email address who manage a unit or are a support person with
    a client now. One query."""
    managers = Unit.managers.through.objects.values("user_id")
    support_persons = Assignment.objects.active().values("support_person__user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(pk__in=managers) | Q(pk__in=support_persons))
        .order_by("pk")
    )


def flags_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("flags:list")


def digest_lines(counts: list[FlagCount], new: dict[str, int]) -> list[DigestLine]:
    return [DigestLine(c.kind, c.label, c.number, new.get(c.kind, 0)) for c in counts]


def render_digest(lines: list[DigestLine]) -> tuple[str, str]:
    """Subject and body. Only labels of kinds and numbers go in: see the module docstring."""
    new_total = sum(line.new for line in lines)
    subject = ngettext(
        "Support person register: %(count)d new flag",
        "Support person register: %(count)d new flags",
        new_total,
    ) % {"count": new_total}
    body = render_to_string(
        "emails/digest.txt",
        {
            "lines": lines,
            "new_total": new_total,
            "open_total": sum(line.open for line in lines),
            "url": flags_url(),
        },
    )
    return subject, body


def send_daily_digests(*, today: date | None = None) -> DigestResult:
    """Send today's digest to everyone who has something new and has not had one today.

    A fixed number of queries for the run, then a few per person who gets a mail."""
    day = today or timezone.localdate()
    recipients = list(digest_recipients())
    ids = [user.pk for user in recipients]
    done_today = set(
        DigestLog.objects.filter(user_id__in=ids, day=day).values_list("user_id", flat=True)
    )
    previous = dict(
        DigestLog.objects.filter(user_id__in=ids, day__lt=day, sent_at__isnull=False)
        .values_list("user_id")
        .annotate(last=Max("as_of"))
        .order_by()
    )
    outcomes = {"sent": 0, "nothing_new": 0, "already_sent": len(done_today), "failed": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for user in recipients:
            if user.pk not in done_today:
                outcomes[_send_one(user, day=day, since=previous.get(user.pk))] += 1
    result = DigestResult(**outcomes)
    logger.info("Flag digests: %s", result)
    return result


def _send_one(user: User, *, day: date, since: datetime | None) -> str:
    as_of = timezone.now()
    flags = flags_of_person(user).filter(resolved_at__isnull=True, raised_at__lte=as_of)
    if since is not None:
        flags_new = flags.filter(Q(notified_at__isnull=True) | Q(raised_at__gt=since))
    else:
        # A first digest: everything open is news to this person, whoever else was told.
        flags_new = flags
    new_flags = list(flags_new.values_list("pk", "kind").order_by())
    if not new_flags:
        return "nothing_new"
    try:
        with transaction.atomic():
            claim = DigestLog.objects.create(user=user, day=day, as_of=as_of)
    except IntegrityError:
        # Another run got there first.
        return "already_sent"
    new_by_kind: dict[str, int] = {}
    for _pk, kind in new_flags:
        new_by_kind[kind] = new_by_kind.get(kind, 0) + 1
    subject, body = render_digest(digest_lines(open_flag_counts(flags), new_by_kind))
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        logger.exception("Could not send the flag digest to user %s", user.pk)
        claim.delete()
        return "failed"
    ids = [pk for pk, _kind in new_flags]
    Flag.objects.filter(pk__in=ids, notified_at__isnull=True).update(notified_at=as_of)
    DigestLog.objects.filter(pk=claim.pk).update(sent_at=timezone.now(), new_flags=len(ids))
    return "sent"
