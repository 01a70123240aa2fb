"""The daily digest: counts and a link, never a name; once a day; nothing when nothing is
new; each person only the flags of their own work."""

from __future__ import annotations

import datetime as dt
import re
import threading
from smtplib import SMTPException

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from clients.models import ProtectedIdentity, Unit
from flags import checks, notifications
from flags.models import DigestLog, Flag
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Flag.Kind
DAY = dt.date(2026, 6, 25)
NEXT_DAY = dt.date(2026, 6, 26)


@pytest.fixture
def flagged(world):
    """Unit A: client_a (the support person's) has two flags, client_a2 one; unit B's client
    one. Names and personnummer are set so that a leak would show."""
    world.client_a.personnummer = "19900101-0017"
    world.client_a.save()
    world.client_a2.protected_identity = ProtectedIdentity.CONFIDENTIALITY_MARK
    world.client_a2.save()
    return {
        "a_plan": factories.FlagFactory(
            client=world.client_a, kind=Kind.PLAN_OVERDUE, target_id=world.client_a.pk
        ),
        "a_doc": factories.FlagFactory(
            client=world.client_a, kind=Kind.DOCUMENTATION_MISSING, target_id=world.client_a.pk
        ),
        "a2": factories.FlagFactory(client=world.client_a2, target_id=world.client_a2.pk),
        "b": factories.FlagFactory(client=world.client_b, target_id=world.client_b.pk),
    }


def mail_to(user) -> mail.EmailMessage:
    found = [m for m in mail.outbox if m.to == [user.email]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def counted(body: str) -> dict[str, int]:
    """{label: open count} from the digest's lines "- label: n"."""
    return {label: int(n) for label, n in re.findall(r"^- (.+?): (\d+)", body, re.MULTILINE)}


def test_each_manager_and_support_person_gets_one_digest_of_their_own_flags(
    world, flagged, manager_a, manager_b, sp_user, sp_user_without_client
):
    result = notifications.send_daily_digests(today=DAY)
    assert result.sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [manager_a.email, manager_b.email, sp_user.email]
    )
    plan = str(Kind.PLAN_OVERDUE.label)
    documentation = str(Kind.DOCUMENTATION_MISSING.label)
    no_person = str(Kind.NO_SUPPORT_PERSON.label)
    assert counted(mail_to(manager_a).body) == {plan: 1, documentation: 1, no_person: 1}
    assert counted(mail_to(manager_b).body) == {no_person: 1}
    # The support person: only their own client's flags, not client_a2's.
    assert counted(mail_to(sp_user).body) == {plan: 1, documentation: 1}


def test_the_digest_carries_counts_and_a_link_but_no_name_or_personnummer(
    world, flagged, manager_a, settings
):
    settings.SITE_URL = "https://stodperson.example.se"
    notifications.send_daily_digests(today=DAY)
    message = mail_to(manager_a)
    text = message.subject + message.body
    assert "https://stodperson.example.se/flaggor/" in message.body
    assert re.search(r"\b3\b", message.subject)
    for secret in [
        "Åke",
        "Öberg",
        "Lena",
        "Bo Berg",
        "19900101",
        "0017",
        "Enhet A",
        world.client_a.full_name,
        world.client_a2.full_name,
    ]:
        assert secret not in text, secret


def test_the_digest_counts_agree_with_the_shared_count(world, flagged, manager_a):
    notifications.send_daily_digests(today=DAY)
    shared = checks.open_flag_counts(checks.flags_of_units(Unit.objects.filter(managers=manager_a)))
    assert counted(mail_to(manager_a).body) == {c.label: c.number for c in shared}


def test_a_second_run_on_the_same_day_sends_nothing(world, flagged):
    notifications.send_daily_digests(today=DAY)
    sent = len(mail.outbox)
    # Even with a new flag: one digest a day.
    factories.FlagFactory(client=world.client_b, kind=Kind.CONSENT_REVIEW, target_id=1)
    result = notifications.send_daily_digests(today=DAY)
    assert len(mail.outbox) == sent
    assert result.sent == 0 and result.already_sent == 3


def test_nothing_is_sent_when_nothing_is_new(world, flagged, manager_a, manager_b):
    notifications.send_daily_digests(today=DAY)
    mail.outbox.clear()
    result = notifications.send_daily_digests(today=NEXT_DAY)
    assert mail.outbox == []
    assert result.nothing_new == 3
    # A new flag in unit B the next day: only unit B's manager hears of it.
    factories.FlagFactory(client=world.client_b, kind=Kind.CONSENT_REVIEW, target_id=1)
    notifications.send_daily_digests(today=NEXT_DAY)
    assert [m.to for m in mail.outbox] == [[manager_b.email]]
    assert re.search(r"\b1\b", mail.outbox[0].subject)
    # Both of unit B's flags are counted; only the consent flag is new.
    assert counted(mail.outbox[0].body) == {
        str(Kind.NO_SUPPORT_PERSON.label): 1,
        str(Kind.CONSENT_REVIEW.label): 1,
    }


def test_the_digest_marks_the_flags_it_included_as_notified(world, flagged):
    assert not Flag.objects.filter(notified_at__isnull=False).exists()
    notifications.send_daily_digests(today=DAY)
    assert not Flag.objects.filter(notified_at__isnull=True).exists()
    log = DigestLog.objects.get(user__username="chef_a", day=DAY)
    assert log.sent_at is not None and log.new_flags == 3


def test_a_flag_notified_to_one_person_is_still_new_to_another(world, flagged, sp_user):
    """The manager's digest marks the flag notified; the support person, whose last digest
    was before the flag was raised, still hears of it."""
    notifications.send_daily_digests(today=DAY)
    mail.outbox.clear()
    flag = factories.FlagFactory(
        client=world.client_a, kind=Kind.RISK_FOLLOW_UP, target_id=77, raised_at=timezone.now()
    )
    Flag.objects.filter(pk=flag.pk).update(notified_at=timezone.now())
    notifications.send_daily_digests(today=NEXT_DAY)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["chef_a@example.se", sp_user.email])


def test_resolved_flags_are_neither_counted_nor_new(world, flagged):
    Flag.objects.update(resolved_at=timezone.now())
    result = notifications.send_daily_digests(today=DAY)
    assert mail.outbox == [] and result.nothing_new == 3


def test_a_user_without_an_email_address_or_inactive_gets_nothing(world, flagged, manager_a):
    manager_a.email = ""
    manager_a.save()
    notifications.send_daily_digests(today=DAY)
    assert all(manager_a.username not in m.to[0] for m in mail.outbox)
    assert len(mail.outbox) == 2


def test_a_mail_that_fails_gives_its_claim_back(world, flagged, monkeypatch):
    def fail(*args, **kwargs):
        raise SMTPException("server down")

    monkeypatch.setattr(notifications, "send_mail", fail)
    result = notifications.send_daily_digests(today=DAY)
    assert result.failed == 3
    assert not DigestLog.objects.exists()
    assert not Flag.objects.filter(notified_at__isnull=False).exists()
    monkeypatch.undo()
    assert notifications.send_daily_digests(today=DAY).sent == 3


def test_the_daily_task_runs_the_checks_then_sends_the_digest(world, manager_a, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from flags import tasks

    tasks.run_daily_checks.delay(DAY.isoformat())
    # client_a2 has had no support person for 400 days.
    assert Flag.objects.open().filter(kind=Kind.NO_SUPPORT_PERSON).exists()
    assert manager_a.email in [m.to[0] for m in mail.outbox]
    tasks.send_digests.delay(DAY.isoformat())
    assert len([m for m in mail.outbox if m.to == [manager_a.email]]) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite takes one writer at a time, so two digest runs cannot "
    "overlap there to begin with",
)
@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_the_same_time_send_one_mail_per_person(world, flagged, monkeypatch):
    barrier = threading.Barrier(2, timeout=20)
    scope = notifications.flags_of_person

    def scope_then_wait(user):
        # Both runs have decided that this person is due a digest before either claims it.
        barrier.wait()
        return scope(user)

    monkeypatch.setattr(notifications, "flags_of_person", scope_then_wait)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            notifications.send_daily_digests(today=DAY)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(mail.outbox) == 3
    assert DigestLog.objects.count() == 3
