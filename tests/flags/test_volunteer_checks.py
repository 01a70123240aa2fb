"""The background check running out (issue 16, item 2): a flag on the support person for
the office at 60, 30 and 7 days and once it has run out, seen by administrators only; a
mail to the volunteer per warning, with no personal data, sent once."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from flags import checks, tasks
from flags.models import BackgroundCheckNotice, Flag
from flags.volunteer_checks import check_background_check, send_background_check_notices
from stodperson.dates import add_months
from supportpersons.models import SupportPerson
from tests import factories, volunteers

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)
Kind = Flag.Kind


def _volunteer_running_out(days_left: int, **fields) -> SupportPerson:
    """A volunteer whose check runs out `days_left` days after TODAY."""
    person = volunteers.volunteer(**fields)
    months = person.programme.background_check_valid_months
    person.recruitment_steps.update(on=add_months(TODAY + dt.timedelta(days=days_left), -months))
    return person


def _open() -> list[Flag]:
    return list(Flag.objects.open().filter(kind=Kind.BACKGROUND_CHECK))


@pytest.mark.parametrize(
    ("days_left", "detail"),
    [
        (61, None),
        (60, "(varningen 60 dagar före)"),
        (30, "(varningen 30 dagar före)"),
        (7, "(varningen 7 dagar före)"),
        (0, "Slutade gälla"),
    ],
)
def test_the_office_is_flagged_at_each_warning(days_left, detail):
    person = _volunteer_running_out(days_left)
    checks.run_checks(today=TODAY, only=[Kind.BACKGROUND_CHECK])
    flags = _open()
    if detail is None:
        assert flags == []
        return
    (flag,) = flags
    assert (flag.client_id, flag.support_person_id, flag.target_id) == (None, person.pk, person.pk)
    assert detail in flag.detail
    assert (TODAY + dt.timedelta(days=days_left)).isoformat() in flag.detail


def test_each_warning_is_a_new_flag_and_a_renewal_resolves_it():
    person = _volunteer_running_out(31)
    check_background_check(TODAY)
    first = _open()
    assert len(first) == 1 and "60" in first[0].detail
    check_background_check(TODAY)  # the same day again: nothing new
    assert _open() == first
    check_background_check(TODAY + dt.timedelta(days=1))  # 30 days left
    (second,) = _open()
    assert second.pk != first[0].pk and "30" in second.detail
    first[0].refresh_from_db()
    assert first[0].resolved_at is not None
    person.background_checks.create(checked_on=TODAY, outcome="passed")
    check_background_check(TODAY + dt.timedelta(days=1))
    assert _open() == []


def test_personal_assistants_and_inactive_volunteers_are_not_checked():
    _volunteer_running_out(5, status=SupportPerson.Status.INACTIVE)
    assistant = factories.SupportPersonFactory()
    volunteers.check(assistant, add_months(TODAY, -30))
    check_background_check(TODAY)
    assert _open() == []


def test_the_check_costs_the_same_whatever_the_number_of_volunteers(django_assert_num_queries):
    # The warnings, the open flags, and synced's savepoint, read, insert and release.
    _volunteer_running_out(5)
    with django_assert_num_queries(6):
        check_background_check(TODAY)
    for days in (6, 20, 50, 0):
        _volunteer_running_out(days)
    with django_assert_num_queries(6):
        check_background_check(TODAY)


def test_only_administrators_see_the_flag(as_admin, world, manager_a):
    person = _volunteer_running_out(7, first_name="Vera", last_name="Volontär")
    # A manager of a patient committee's office reads the programme's pool, not its flags.
    volunteers.ward().managers.add(manager_a)
    check_background_check(TODAY)
    assert Flag.objects.visible_to(manager_a).filter(kind=Kind.BACKGROUND_CHECK).count() == 0
    from django.test import Client as HttpClient

    http = HttpClient()
    http.force_login(manager_a)
    assert "Vera Volontär" not in http.get(reverse("flags:list")).content.decode()
    assert "Vera Volontär" not in http.get(reverse("overview:dashboard")).content.decode()

    page = as_admin.get(reverse("flags:list")).content.decode()
    assert "Vera Volontär" in page and "varningen 7 dagar före" in page
    assert reverse("supportpersons:detail", args=[person.pk]) in page
    dashboard = as_admin.get(reverse("overview:dashboard")).content.decode()
    assert "Vera Volontär" in dashboard


# --- The mail to the volunteer ------------------------------------------------------------


def test_each_warning_is_mailed_once_with_no_personal_data():
    person = _volunteer_running_out(
        45, first_name="Vera", last_name="Volontär", email="vera@example.se"
    )
    assert send_background_check_notices(today=TODAY - dt.timedelta(days=16)).sent == 0
    assert send_background_check_notices(today=TODAY).sent == 1
    assert send_background_check_notices(today=TODAY).already_sent == 1
    assert send_background_check_notices(today=TODAY + dt.timedelta(days=1)).sent == 0
    message = mail.outbox[0]
    assert message.to == ["vera@example.se"]
    text = message.subject + message.body
    runs_out = TODAY + dt.timedelta(days=45)
    for secret in ("Vera", "Volontär", runs_out.isoformat(), str(runs_out.year)):
        assert secret not in text
    assert "inom 60 dagar" in message.body
    send_background_check_notices(today=runs_out - dt.timedelta(days=30))
    send_background_check_notices(today=runs_out - dt.timedelta(days=7))
    send_background_check_notices(today=runs_out)
    send_background_check_notices(today=runs_out + dt.timedelta(days=3))
    assert len(mail.outbox) == 4
    assert "har slutat gälla" in mail.outbox[-1].subject
    assert sorted(
        BackgroundCheckNotice.objects.filter(support_person=person).values_list(
            "threshold", flat=True
        )
    ) == [0, 7, 30, 60]


def test_a_claim_taken_by_another_worker_is_not_sent_again():
    person = _volunteer_running_out(7, email="vera@example.se")
    BackgroundCheckNotice.objects.create(
        support_person=person, expires_on=TODAY + dt.timedelta(days=7), threshold=7
    )
    result = send_background_check_notices(today=TODAY)
    assert (result.sent, result.already_sent) == (0, 1)
    assert mail.outbox == []


def test_a_failed_mail_gives_its_claim_back():
    _volunteer_running_out(7, email="vera@example.se")
    with mock.patch("flags.volunteer_checks.send_mail", side_effect=OSError("smtp down")):
        assert send_background_check_notices(today=TODAY).failed == 1
    assert not BackgroundCheckNotice.objects.exists()
    assert send_background_check_notices(today=TODAY).sent == 1


def test_the_daily_task_raises_the_flag_and_mails():
    _volunteer_running_out(30, email="vera@example.se")
    summary = tasks.run_daily_checks(TODAY.isoformat())
    assert summary[Kind.BACKGROUND_CHECK] == 1
    assert summary["background_check_notices_sent"] == 1
    assert len(_open()) == 1 and len(mail.outbox) == 1
