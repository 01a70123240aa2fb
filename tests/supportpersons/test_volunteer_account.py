"""The volunteer's account (issue 16, items 1 and 2): the office's invitation and the
one-time link, the confidentiality undertaking and its versions, the background check,
and what keeps a volunteer from being offered an assignment."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from stodperson.dates import add_months
from stodperson.errors import ServiceError
from supportpersons.eligibility import offer_blockers
from supportpersons.invitations import invitation_send, token_hash
from supportpersons.models import (
    BackgroundCheck,
    Invitation,
    RecruitmentStep,
    SupportPerson,
    UndertakingAcceptance,
)
from supportpersons.volunteers import background_check_runs_out, warning_threshold
from tests import factories, volunteers

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
LINK = re.compile(r"https?://\S+/konto/inbjudan/(\S+)/")
PASSWORD = "Ett-långt-lösenord-2026"


def _invite(as_admin, person: SupportPerson, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(reverse("supportpersons:invite", args=[person.pk]))
    assert response.status_code == 302
    return mail.outbox[-1].body


def _token(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return found.group(1)


def _set_password(http, token: str, password: str = PASSWORD):
    return http.post(
        reverse("supportpersons:invitation", args=[token]),
        {"password1": password, "password2": password},
    )


# --- The invitation ---------------------------------------------------------------------


def test_the_invitation_makes_the_login_and_mails_a_link_with_no_patient_data(
    as_admin, client, django_capture_on_commit_callbacks
):
    person = volunteers.volunteer(first_name="Vera", last_name="Volontär", email="vera@example.se")
    patient = factories.ClientFactory(
        unit=volunteers.ward("Avdelning Norr"), first_name="Petra", last_name="Patientsson"
    )
    factories.AssignmentFactory(client=patient, support_person=person)
    body = _invite(as_admin, person, django_capture_on_commit_callbacks)

    person.refresh_from_db()
    assert person.user is not None and person.user.username == "vera@example.se"
    assert not person.user.has_usable_password()
    message = mail.outbox[-1]
    assert message.to == ["vera@example.se"]
    text = message.subject + message.body
    for secret in ("Petra", "Patientsson", "Avdelning Norr", "Vera", "Volontär"):
        assert secret not in text
    assert "72 timmar" in body
    token = _token(body)
    # Only the hash is kept.
    assert Invitation.objects.get().token_hash == token_hash(token)
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_the_link_sets_the_password_once(as_admin, client, django_capture_on_commit_callbacks):
    person = volunteers.volunteer(email="vera@example.se")
    token = _token(_invite(as_admin, person, django_capture_on_commit_callbacks))

    page = client.get(reverse("supportpersons:invitation", args=[token]))
    assert page.status_code == 200 and "vera@example.se" in page.content.decode()
    response = _set_password(client, token)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    logged_in = client.post(reverse("login"), {"username": "vera@example.se", "password": PASSWORD})
    assert logged_in.status_code == 302

    client.logout()
    again = _set_password(client, token, "Ett-annat-lösenord-2026")
    assert again.status_code == 410
    assert "Länken fungerar inte längre" in again.content.decode()
    user = get_user_model().objects.get(username="vera@example.se")
    assert user.check_password(PASSWORD)


def test_mismatched_passwords_save_nothing(as_admin, client, django_capture_on_commit_callbacks):
    person = volunteers.volunteer(email="vera@example.se")
    token = _token(_invite(as_admin, person, django_capture_on_commit_callbacks))
    response = client.post(
        reverse("supportpersons:invitation", args=[token]),
        {"password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "De två lösenorden skiljer sig åt." in response.content.decode()
    person.refresh_from_db()
    assert not person.user.has_usable_password()
    assert Invitation.objects.get().used_at is None


def test_the_link_expires(as_admin, client, settings, django_capture_on_commit_callbacks):
    person = volunteers.volunteer(email="vera@example.se")
    token = _token(_invite(as_admin, person, django_capture_on_commit_callbacks))
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    page = client.get(reverse("supportpersons:invitation", args=[token]))
    assert page.status_code == 410
    assert "Be kansliet skicka en ny inbjudan" in page.content.decode()
    assert _set_password(client, token).status_code == 410


def test_the_expiry_is_a_setting(settings):
    settings.VOLUNTEER_INVITATION_HOURS = 24
    person = volunteers.volunteer(email="vera@example.se")
    before = timezone.now()
    invitation = invitation_send(support_person=person, by=factories.UserFactory())
    assert invitation is not None
    hours = (invitation.expires_at - before).total_seconds() / 3600
    assert 23.9 < hours <= 24.01


def test_a_new_invitation_replaces_the_earlier_link(
    as_admin, client, django_capture_on_commit_callbacks
):
    person = volunteers.volunteer(email="vera@example.se")
    first = _token(_invite(as_admin, person, django_capture_on_commit_callbacks))
    second = _token(_invite(as_admin, person, django_capture_on_commit_callbacks))
    assert first != second
    assert _set_password(client, first).status_code == 410
    assert _set_password(client, second).status_code == 302
    assert get_user_model().objects.filter(username="vera@example.se").count() == 1


def test_an_unknown_link_gets_the_same_plain_page(client):
    response = client.get(reverse("supportpersons:invitation", args=["nonsense"]))
    assert response.status_code == 410


def test_under_single_sign_on_the_mail_says_to_log_in_with_it(
    settings, django_capture_on_commit_callbacks
):
    settings.OIDC_ENABLED = True
    person = volunteers.volunteer(email="vera@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_send(support_person=person, by=factories.UserFactory()) is None
    assert not Invitation.objects.exists()
    body = mail.outbox[-1].body
    assert "Logga in med din organisations inloggning" in body
    assert reverse("login") in body and "inbjudan" not in body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": SupportPerson.Status.PAUSED}, "Bara en aktiv volontär kan bjudas in."),
        ({"email": ""}, "Registrera volontärens e-postadress först."),
    ],
)
def test_only_an_active_volunteer_with_an_address_is_invited(fields, message):
    person = volunteers.volunteer(**fields)
    with pytest.raises(ServiceError, match=message):
        invitation_send(support_person=person, by=factories.UserFactory())
    assert not Invitation.objects.exists()


def test_a_personal_assistant_is_not_invited(world, as_admin):
    response = as_admin.post(
        reverse("supportpersons:invite", args=[world.sp_without_client.pk]), follow=True
    )
    assert "Bara en patientnämnds volontär bjuds in till appen." in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_an_administrator_invites(world, as_manager_a):
    person = volunteers.volunteer(email="vera@example.se")
    assert as_manager_a.post(reverse("supportpersons:invite", args=[person.pk])).status_code == 403


# --- The undertaking --------------------------------------------------------------------


def _login(person: SupportPerson):
    from django.test import Client as HttpClient

    http = HttpClient()
    http.force_login(person.user)
    return http


def test_until_the_undertaking_is_accepted_the_pages_lead_to_it():
    person = volunteers.volunteer("vera", accepted=False)
    http = _login(person)
    for name in ("overview:volunteer_home", "supportpersons:volunteer_details"):
        response = http.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("supportpersons:undertaking")
    page = http.get(reverse("supportpersons:undertaking"))
    assert volunteers.UNDERTAKING_TEXT in page.content.decode()
    assert offer_blockers(person, today=TODAY()) == [
        f"{person.full_name} har inte godkänt den gällande tystnadsförbindelsen."
    ]


def test_accepting_records_who_when_and_which_version():
    person = volunteers.volunteer("vera", accepted=False)
    http = _login(person)
    version = person.programme.undertakings.get()
    refused = http.post(reverse("supportpersons:undertaking"), {"version": version.pk})
    assert refused.status_code == 200
    assert "Kryssa i rutan för att godkänna förbindelsen." in refused.content.decode()
    assert not UndertakingAcceptance.objects.exists()

    response = http.post(
        reverse("supportpersons:undertaking"), {"version": version.pk, "accept": "on"}
    )
    assert response["Location"] == reverse("overview:volunteer_home")
    acceptance = UndertakingAcceptance.objects.get()
    assert (acceptance.support_person, acceptance.version, acceptance.user) == (
        person,
        version,
        person.user,
    )
    assert http.get(reverse("overview:volunteer_home")).status_code == 200
    assert offer_blockers(person, today=TODAY()) == []


def test_a_new_version_needs_a_new_acceptance():
    person = volunteers.volunteer("vera")
    http = _login(person)
    assert http.get(reverse("overview:volunteer_home")).status_code == 200
    newer = volunteers.undertaking(2, valid_from=TODAY())
    assert http.get(reverse("overview:volunteer_home"))["Location"] == reverse(
        "supportpersons:undertaking"
    )
    page = http.get(reverse("supportpersons:undertaking")).content.decode()
    assert "(version 2)" in page and "har en ny version" in page
    assert len(offer_blockers(person, today=TODAY())) == 1
    http.post(reverse("supportpersons:undertaking"), {"version": newer.pk, "accept": "on"})
    assert person.undertaking_acceptances.count() == 2
    assert offer_blockers(person, today=TODAY()) == []


def test_a_version_not_yet_valid_asks_nothing_yet():
    person = volunteers.volunteer("vera")
    volunteers.undertaking(2, valid_from=TODAY() + dt.timedelta(days=1))
    assert _login(person).get(reverse("overview:volunteer_home")).status_code == 200


def test_an_acceptance_of_an_older_version_shown_meanwhile_is_refused():
    person = volunteers.volunteer("vera", accepted=False)
    old = person.programme.undertakings.get()
    volunteers.undertaking(2, valid_from=TODAY())
    response = _login(person).post(
        reverse("supportpersons:undertaking"), {"version": old.pk, "accept": "on"}
    )
    assert "En ny version har publicerats" in response.content.decode()
    assert not UndertakingAcceptance.objects.exists()


# --- The background check ---------------------------------------------------------------


def test_the_check_runs_out_after_the_programmes_validity():
    person = volunteers.volunteer(checked_on=dt.date(2026, 1, 31))
    months = person.programme.background_check_valid_months
    assert background_check_runs_out(person) == add_months(dt.date(2026, 1, 31), months)


def test_a_renewal_moves_the_date_and_a_failed_one_does_not():
    person = volunteers.volunteer(checked_on=dt.date(2025, 1, 10))
    BackgroundCheck.objects.create(
        support_person=person, checked_on=dt.date(2026, 1, 10), outcome="passed"
    )
    BackgroundCheck.objects.create(
        support_person=person, checked_on=dt.date(2026, 2, 10), outcome="failed"
    )
    months = person.programme.background_check_valid_months
    assert background_check_runs_out(person) == add_months(dt.date(2026, 1, 10), months)


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(61, None), (60, 60), (31, 60), (30, 30), (8, 30), (7, 7), (1, 7), (0, 0), (-5, 0)],
)
def test_the_warning_reached(days_left, threshold):
    today = dt.date(2026, 6, 1)
    assert warning_threshold(today + dt.timedelta(days=days_left), today=today) == threshold


def test_no_offer_without_a_check_or_after_it_ran_out():
    person = volunteers.volunteer(first_name="Vera", last_name="Ek")
    RecruitmentStep.objects.filter(support_person=person).delete()
    assert offer_blockers(person, today=TODAY()) == [
        "Vera Ek har inget registerutdrag registrerat."
    ]
    months = person.programme.background_check_valid_months
    volunteers.check(person, add_months(TODAY(), -months))
    assert offer_blockers(person, today=TODAY()) == [
        f"Vera Eks registerutdrag upphörde att gälla {TODAY():%Y-%m-%d}."
    ]
    assert offer_blockers(person, today=TODAY() - dt.timedelta(days=1)) == []


def test_the_office_records_a_renewed_check(as_admin):
    person = volunteers.volunteer(checked_on=dt.date(2025, 1, 10))
    url = reverse("supportpersons:background_check_new", args=[person.pk])
    future = as_admin.post(url, {"checked_on": TODAY() + dt.timedelta(days=1), "outcome": "passed"})
    assert future.status_code == 200 and not BackgroundCheck.objects.exists()
    response = as_admin.post(url, {"checked_on": TODAY(), "outcome": "passed"})
    assert response.status_code == 302
    check = BackgroundCheck.objects.get()
    assert check.checked_on == TODAY() and check.history.count() == 1
    detail = as_admin.get(reverse("supportpersons:detail", args=[person.pk])).content.decode()
    assert 'data-testid="volunteer-account"' in detail
