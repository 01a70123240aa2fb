"""Acting on a client's records (issue 15, item 2): renew and withdraw a consent, follow up
and end a risk assessment or measure, add, edit and end a contact; bad input, a concurrent
edit, who may, and the flags each action resolves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Consent, Contact, RiskFollowUp, RiskMeasure
from flags import checks
from flags.consent_checks import check_measure_without_consent
from flags.models import Flag
from stodperson.concurrency import version_of
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Flag.Kind


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> str:
    return (today() + dt.timedelta(days=n)).isoformat()


def open_targets(kind: str) -> set[int]:
    return set(Flag.objects.open().filter(kind=kind).values_list("target_id", flat=True))


def fresh(record):
    return type(record).objects.get(pk=record.pk)


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def past_review(world) -> Consent:
    return factories.ConsentFactory(
        client=world.client_a,
        purpose="Samverkan med vården",
        given_on=today() - dt.timedelta(days=400),
        review_on=today() - dt.timedelta(days=10),
    )


@pytest.fixture
def restrictive(world) -> RiskMeasure:
    return factories.RiskMeasureFactory(
        client=world.client_a,
        kind=RiskMeasure.Kind.RESTRICTIVE,
        description="Sänggrind nattetid",
        decided_on=today() - dt.timedelta(days=90),
        follow_up_on=today() - dt.timedelta(days=3),
    )


def renew_data(consent: Consent, **changes) -> dict[str, str]:
    data = {
        "given_on": today().isoformat(),
        "review_on": days(365),
        "given_by": "god_man",
        "given_as": "written",
        "note": "Förnyat vid hembesök",
        "version": version_of(fresh(consent)),
    }
    data.update(changes)
    return data


# --- Consents --------------------------------------------------------------------------------


def test_renewing_keeps_the_history_and_resolves_the_review_flag_at_once(
    as_manager_a, world, past_review, restrictive
):
    RiskMeasure.objects.filter(pk=restrictive.pk).update(consent=past_review)
    checks.check_consent_review(today())
    assert past_review.pk in open_targets(Kind.CONSENT_REVIEW)
    response = as_manager_a.post(
        reverse("clients:consent_renew", kwargs={"pk": past_review.pk}), renew_data(past_review)
    )
    assert response.status_code == 302
    new = Consent.objects.exclude(pk=past_review.pk).get()
    old = fresh(past_review)
    assert old.replaced_by == new
    assert (new.purpose, new.given_by, new.given_as) == (past_review.purpose, "god_man", "written")
    assert new.recorded_by.username == "chef_a"
    # At once, in the renewal's transaction: no run of the check in between.
    assert past_review.pk not in open_targets(Kind.CONSENT_REVIEW)
    # The measure that rested on the old consent rests on the new one.
    assert fresh(restrictive).consent == new
    checks.check_consent_review(today())
    check_measure_without_consent(today())
    assert open_targets(Kind.CONSENT_REVIEW) == set()
    assert open_targets(Kind.MEASURE_WITHOUT_CONSENT) == set()
    assert old.history.count() == 2 and new.history.count() == 1
    # The client page shows both, the old one marked as replaced.
    client_page = page(
        as_manager_a.get(reverse("overview:client", kwargs={"pk": world.client_a.pk}))
    )
    assert "Ersatt" in client_page and "Gäller" in client_page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_on": days(1)}, "given_on", "kan inte vara i framtiden"),
        ({"given_on": days(-500)}, "given_on", "kan inte vara före samtycket den förnyar"),
        ({"review_on": days(-1)}, "review_on", "måste vara efter dagen då samtycket lämnades"),
        ({"given_on": days(-5), "review_on": days(-1)}, "review_on", "måste vara i framtiden"),
        ({"given_by": ""}, "given_by", "Detta fält måste fyllas i"),
    ],
)
def test_a_bad_renewal_is_refused_at_the_field_in_swedish(
    as_support_person, past_review, changes, field, message
):
    response = as_support_person.post(
        reverse("clients:consent_renew", kwargs={"pk": past_review.pk}),
        renew_data(past_review, **changes),
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'data-testid="error-summary"' in page(response)
    assert Consent.objects.count() == 1


def test_a_renewed_consent_cannot_be_renewed_again(as_manager_a, past_review):
    url = reverse("clients:consent_renew", kwargs={"pk": past_review.pk})
    as_manager_a.post(url, renew_data(past_review))
    response = as_manager_a.post(url, renew_data(past_review))
    assert 'data-testid="record-closed"' in page(response)
    assert Consent.objects.count() == 2


def test_withdrawing_records_the_date_and_note_and_flags_only_what_rests_on_it(
    as_support_person, world, past_review, restrictive
):
    other = factories.ConsentFactory(client=world.client_a, purpose="Kontakt med syster")
    relative = factories.ContactFactory(
        client=world.client_a, role=Contact.Role.RELATIVE, consent=other
    )
    url = reverse("clients:consent_withdraw", kwargs={"pk": other.pk})
    response = as_support_person.post(
        url,
        {"withdrawn_on": today().isoformat(), "note": "Vill inte", "version": version_of(other)},
    )
    assert response.status_code == 302
    other = fresh(other)
    assert (other.withdrawn_on, other.withdrawal_note) == (today(), "Vill inte")
    # A relative's contact still rests on it: the consent needs action.
    checks.check_consent_review(today())
    assert other.pk in open_targets(Kind.CONSENT_REVIEW)
    # Ending the contact leaves nothing resting on it: the next run resolves the flag.
    as_support_person.post(
        reverse("clients:contact_end", kwargs={"pk": relative.pk}),
        {
            "ended_on": today().isoformat(),
            "reason": "Samtycket återkallat",
            "version": version_of(fresh(relative)),
        },
    )
    checks.check_consent_review(today())
    assert other.pk not in open_targets(Kind.CONSENT_REVIEW)


def test_a_withdrawal_before_the_consent_was_given_is_refused(as_manager_a, past_review):
    response = as_manager_a.post(
        reverse("clients:consent_withdraw", kwargs={"pk": past_review.pk}),
        {"withdrawn_on": days(-401), "version": version_of(past_review)},
    )
    assert "kan inte återkallas innan det lämnades" in page(response)
    assert fresh(past_review).withdrawn_on is None


def test_the_second_of_two_concurrent_editors_is_told_and_nothing_is_lost(
    as_manager_a, as_support_person, past_review
):
    url = reverse("clients:consent_withdraw", kwargs={"pk": past_review.pk})
    version = version_of(past_review)
    renewed = as_manager_a.post(
        reverse("clients:consent_renew", kwargs={"pk": past_review.pk}),
        renew_data(past_review, version=version),
    )
    assert renewed.status_code == 302
    late = as_support_person.post(url, {"withdrawn_on": today().isoformat(), "version": version})
    assert late.status_code == 200
    assert fresh(past_review).withdrawn_on is None


def test_two_concurrent_follow_ups_the_second_gets_a_clear_message(
    as_manager_a, as_support_person, restrictive
):
    url = reverse("clients:risk_follow_up", kwargs={"pk": restrictive.pk})
    version = version_of(restrictive)
    data = {
        "followed_up_on": today().isoformat(),
        "outcome": "Fungerar",
        "next_follow_up_on": days(90),
        "version": version,
    }
    assert as_manager_a.post(url, data).status_code == 302
    second = as_support_person.post(
        url, {**data, "outcome": "Annat", "next_follow_up_on": days(30)}
    )
    assert second.status_code == 200
    assert "Någon annan har ändrat" in page(second)
    assert RiskFollowUp.objects.count() == 1
    assert fresh(restrictive).follow_up_on == today() + dt.timedelta(days=90)
    # The form is filled in again against the version saved now: a second save goes through.
    assert second.context["form"]["version"].value() == version_of(fresh(restrictive))


# --- Risk assessments and measures ----------------------------------------------------------


def test_a_follow_up_moves_the_date_records_who_and_resolves_the_flag_next_run(
    as_support_person, world, restrictive
):
    checks.check_risk_follow_up(today())
    assert restrictive.pk in open_targets(Kind.RISK_FOLLOW_UP)
    consent = factories.ConsentFactory(client=world.client_a, purpose="Sänggrind")
    response = as_support_person.post(
        reverse("clients:risk_follow_up", kwargs={"pk": restrictive.pk}),
        {
            "followed_up_on": today().isoformat(),
            "outcome": "Behövs fortfarande",
            "next_follow_up_on": days(90),
            "consent": consent.pk,
            "version": version_of(restrictive),
        },
    )
    assert response.status_code == 302
    follow_up = RiskFollowUp.objects.get()
    assert (follow_up.by.username, follow_up.next_follow_up_on) == (
        "stod_med",
        today() + dt.timedelta(days=90),
    )
    measure = fresh(restrictive)
    assert (measure.followed_up_on, measure.follow_up_on) == (
        today(),
        today() + dt.timedelta(days=90),
    )
    assert measure.consent == consent
    checks.check_risk_follow_up(today())
    check_measure_without_consent(today())
    assert open_targets(Kind.RISK_FOLLOW_UP) == set()
    assert open_targets(Kind.MEASURE_WITHOUT_CONSENT) == set()
    assert follow_up.history.count() == 1 and measure.history.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"followed_up_on": days(1)}, "kan inte vara i framtiden"),
        ({"followed_up_on": days(-91)}, "kan inte vara före beslutet"),
        ({"followed_up_on": days(-5), "next_follow_up_on": days(-1)}, "måste vara i framtiden"),
        ({"next_follow_up_on": days(0)}, "Nästa uppföljning måste vara i framtiden"),
        ({"outcome": ""}, "Detta fält måste fyllas i"),
    ],
)
def test_a_bad_follow_up_is_refused(as_manager_a, restrictive, changes, message):
    data = {
        "followed_up_on": today().isoformat(),
        "outcome": "Ok",
        "next_follow_up_on": days(30),
        "version": version_of(restrictive),
        **changes,
    }
    response = as_manager_a.post(
        reverse("clients:risk_follow_up", kwargs={"pk": restrictive.pk}), data
    )
    assert response.status_code == 200
    assert message in page(response)
    assert not RiskFollowUp.objects.exists()
    # Only the field that is wrong says so.
    errors = response.context["form"].errors
    assert len(errors) == 1, errors


def test_a_follow_up_cannot_rest_on_another_clients_consent(as_manager_a, world, restrictive):
    elsewhere = factories.ConsentFactory(client=world.client_a2)
    response = as_manager_a.post(
        reverse("clients:risk_follow_up", kwargs={"pk": restrictive.pk}),
        {
            "followed_up_on": today().isoformat(),
            "outcome": "Ok",
            "next_follow_up_on": days(30),
            "consent": elsewhere.pk,
            "version": version_of(restrictive),
        },
    )
    assert "Välj ett av klientens egna samtycken" in page(response)
    assert fresh(restrictive).consent is None


def test_ending_a_measure_resolves_its_flags_on_the_next_run(as_manager_a, restrictive):
    checks.run_checks(today=today(), only=[Kind.RISK_FOLLOW_UP, Kind.MEASURE_WITHOUT_CONSENT])
    assert restrictive.pk in open_targets(Kind.MEASURE_WITHOUT_CONSENT)
    url = reverse("clients:risk_end", kwargs={"pk": restrictive.pk})
    before = as_manager_a.post(
        url, {"ended_on": days(-91), "reason": "x", "version": version_of(restrictive)}
    )
    assert "kan inte avslutas innan den beslutades" in page(before)
    response = as_manager_a.post(
        url,
        {
            "ended_on": today().isoformat(),
            "reason": "Behövs inte längre",
            "version": version_of(restrictive),
        },
    )
    assert response.status_code == 302
    assert (fresh(restrictive).ended_on, fresh(restrictive).end_reason) == (
        today(),
        "Behövs inte längre",
    )
    checks.run_checks(today=today(), only=[Kind.RISK_FOLLOW_UP, Kind.MEASURE_WITHOUT_CONSENT])
    assert open_targets(Kind.RISK_FOLLOW_UP) == set()
    assert open_targets(Kind.MEASURE_WITHOUT_CONSENT) == set()
    # Ended: no more follow-ups.
    again = as_manager_a.get(reverse("clients:risk_follow_up", kwargs={"pk": restrictive.pk}))
    assert 'data-testid="record-closed"' in page(again)


# --- The check: a measure without consent ----------------------------------------------------


def test_the_check_flags_protective_and_restrictive_measures_without_a_consent_in_force(world):
    client = world.client_a
    valid = factories.ConsentFactory(client=client)
    withdrawn = factories.ConsentFactory(client=client, withdrawn_on=today() - dt.timedelta(days=1))
    past = factories.ConsentFactory(client=client, review_on=today() - dt.timedelta(days=1))
    others = factories.ConsentFactory(client=world.client_a2)

    def measure(kind=RiskMeasure.Kind.PROTECTIVE, **kwargs) -> RiskMeasure:
        return factories.RiskMeasureFactory(client=client, kind=kind, **kwargs)

    flagged = {
        "none": measure(),
        "withdrawn": measure(consent=withdrawn),
        "past review": measure(kind=RiskMeasure.Kind.RESTRICTIVE, consent=past),
        "another client's": measure(consent=others),
    }
    not_flagged = {
        "valid": measure(consent=valid),
        "risk assessment": measure(kind=RiskMeasure.Kind.RISK_ASSESSMENT),
        "ended": measure(ended_on=today() - dt.timedelta(days=1)),
        "ended today": measure(ended_on=today()),
        "of an ended client": factories.RiskMeasureFactory(
            client=factories.ClientFactory(
                unit=world.unit_a, ended_on=today() - dt.timedelta(days=1)
            ),
            kind=RiskMeasure.Kind.PROTECTIVE,
        ),
    }
    check_measure_without_consent(today())
    assert open_targets(Kind.MEASURE_WITHOUT_CONSENT) == {m.pk for m in flagged.values()}
    details = dict(
        Flag.objects.open()
        .filter(kind=Kind.MEASURE_WITHOUT_CONSENT)
        .values_list("target_id", "detail")
    )
    assert details[flagged["none"].pk] == "Inget samtycke registrerat"
    assert details[flagged["withdrawn"].pk].startswith("Samtycket återkallat")
    assert details[flagged["past review"].pk].startswith("Samtycket skulle ha omprövats")
    assert not_flagged  # named for the reader
    # A renewal of the consent past review resolves its measure's flag on the next run.
    Consent.objects.filter(pk=past.pk).update(review_on=today() + dt.timedelta(days=30))
    check_measure_without_consent(today())
    assert flagged["past review"].pk not in open_targets(Kind.MEASURE_WITHOUT_CONSENT)


def test_the_check_is_in_run_checks_and_takes_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    for _ in range(20):
        factories.RiskMeasureFactory(client=world.client_a, kind=RiskMeasure.Kind.PROTECTIVE)
    with django_assert_max_num_queries(6):
        check_measure_without_consent(today())
    assert checks.CHECKS[Kind.MEASURE_WITHOUT_CONSENT] is check_measure_without_consent


def test_a_withdrawn_consent_with_nothing_resting_on_it_is_not_flagged(world):
    lone = factories.ConsentFactory(
        client=world.client_a, withdrawn_on=today(), review_on=today() - dt.timedelta(days=5)
    )
    resting = factories.ConsentFactory(client=world.client_a, withdrawn_on=today())
    factories.RiskMeasureFactory(client=world.client_a, consent=resting)
    checks.check_consent_review(today())
    assert open_targets(Kind.CONSENT_REVIEW) == {resting.pk}
    assert lone.pk not in open_targets(Kind.CONSENT_REVIEW)


# --- Contacts --------------------------------------------------------------------------------


def contact_data(**changes) -> dict[str, str]:
    return {"role": "god_man", "name": "Gun Godman", "phone": "070-1", "email": "", **changes}


def test_a_contact_is_added_edited_and_ended_and_shown_as_ended(as_support_person, world):
    url = reverse("clients:contact_new", kwargs={"pk": world.client_a.pk})
    assert as_support_person.post(url, contact_data()).status_code == 302
    contact = Contact.objects.get()
    consent = factories.ConsentFactory(client=world.client_a, purpose="Kontakt med bror")
    edit = reverse("clients:contact_edit", kwargs={"pk": contact.pk})
    response = as_support_person.post(
        edit,
        contact_data(
            role="narstaende", name="Bo Bror", consent=consent.pk, version=version_of(contact)
        ),
    )
    assert response.status_code == 302
    contact = fresh(contact)
    assert (contact.role, contact.name, contact.consent) == ("narstaende", "Bo Bror", consent)
    response = as_support_person.post(
        reverse("clients:contact_end", kwargs={"pk": contact.pk}),
        {"ended_on": today().isoformat(), "reason": "Flyttat", "version": version_of(contact)},
    )
    assert response.status_code == 302
    assert fresh(contact).ended_on == today()
    assert contact.history.count() == 3
    client_page = page(
        as_support_person.get(reverse("overview:client", kwargs={"pk": world.client_a.pk}))
    )
    assert "Avslutad " + today().isoformat() in client_page and "Bo Bror" in client_page
    assert reverse("clients:contact_edit", kwargs={"pk": contact.pk}) not in client_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "narstaende"}, "Välj det samtycke som gör att den närstående får kontaktas"),
        ({"role": "narstaende", "consent": "OTHER"}, "Välj ett av klientens egna samtycken"),
        ({"role": "narstaende", "consent": "WITHDRAWN"}, "Välj ett av klientens egna samtycken"),
        ({"name": ""}, "Detta fält måste fyllas i"),
        ({"email": "inte-en-adress"}, "giltig e-postadress"),
    ],
)
def test_a_bad_contact_is_refused_at_the_field(as_manager_a, world, changes, message):
    contact = factories.ContactFactory(client=world.client_a, name="Gun Godman")
    if changes.get("consent") == "OTHER":
        changes["consent"] = factories.ConsentFactory(client=world.client_b).pk
    elif changes.get("consent") == "WITHDRAWN":
        changes["consent"] = factories.ConsentFactory(
            client=world.client_a, withdrawn_on=today()
        ).pk
    response = as_manager_a.post(
        reverse("clients:contact_edit", kwargs={"pk": contact.pk}),
        contact_data(version=version_of(contact), **changes),
    )
    assert response.status_code == 200
    assert message in page(response)
    assert 'data-testid="error-summary"' in page(response)
    assert fresh(contact).updated_at == contact.updated_at


def test_ending_a_contact_in_the_future_or_before_the_client_began_is_refused(as_manager_a, world):
    contact = factories.ContactFactory(client=world.client_a)
    url = reverse("clients:contact_end", kwargs={"pk": contact.pk})
    for day, message in (
        (days(1), "kan inte vara i framtiden"),
        ((world.client_a.started_on - dt.timedelta(days=1)).isoformat(), "före klientens start"),
    ):
        response = as_manager_a.post(
            url, {"ended_on": day, "reason": "x", "version": version_of(contact)}
        )
        assert message in page(response)
    assert fresh(contact).ended_on is None


# --- Who may -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "consent_renew",
        "consent_withdraw",
        "risk_follow_up",
        "risk_end",
        "contact_edit",
        "contact_end",
    ],
)
def test_the_clients_people_act_an_administrator_reads_others_do_not_see(
    name,
    world,
    past_review,
    restrictive,
    as_admin,
    as_manager_a,
    as_manager_b,
    as_support_person,
    as_support_person_without_client,
):
    record = {
        "consent": past_review,
        "risk": restrictive,
        "contact": factories.ContactFactory(client=world.client_a),
    }[name.split("_")[0]]
    url = reverse(f"clients:{name}", kwargs={"pk": record.pk})
    answers = {
        who: http.get(url).status_code
        for who, http in {
            "admin": as_admin,
            "manager_a": as_manager_a,
            "manager_b": as_manager_b,
            "sp_with": as_support_person,
            "sp_without": as_support_person_without_client,
        }.items()
    }
    assert answers == {
        "admin": 403,
        "manager_a": 200,
        "manager_b": 404,
        "sp_with": 200,
        "sp_without": 404,
    }


def test_the_client_page_offers_the_actions_to_the_clients_people_only(
    as_admin, as_manager_a, world, past_review, restrictive
):
    url = reverse("overview:client", kwargs={"pk": world.client_a.pk})
    renew = reverse("clients:consent_renew", kwargs={"pk": past_review.pk})
    follow_up = reverse("clients:risk_follow_up", kwargs={"pk": restrictive.pk})
    mine = page(as_manager_a.get(url))
    assert renew in mine and follow_up in mine
    theirs = page(as_admin.get(url))
    assert renew not in theirs and follow_up not in theirs


def test_a_new_measure_rests_on_a_consent_of_the_client_chosen_when_recorded(as_manager_a, world):
    consent = factories.ConsentFactory(client=world.client_a, purpose="Larmmatta")
    url = reverse("clients:risk_new", kwargs={"pk": world.client_a.pk})
    data = {"kind": "protective", "description": "Larmmatta", "decided_on": today().isoformat()}
    elsewhere = factories.ConsentFactory(client=world.client_b)
    refused = as_manager_a.post(url, {**data, "consent": elsewhere.pk})
    assert "Välj ett av klientens egna samtycken" in page(refused)
    assert as_manager_a.post(url, {**data, "consent": consent.pk}).status_code == 302
    measure = RiskMeasure.objects.get()
    assert measure.consent == consent
    check_measure_without_consent(today())
    assert open_targets(Kind.MEASURE_WITHOUT_CONSENT) == set()


def test_an_ended_god_man_is_not_asked_about_at_a_change_of_support_person(as_manager_a, world):
    url = reverse("assignments:change", kwargs={"pk": world.client_a.pk})
    contact = factories.ContactFactory(client=world.client_a, role=Contact.Role.GOOD_MAN)
    assert "Klienten har en sådan kontakt" in page(as_manager_a.get(url))
    Contact.objects.filter(pk=contact.pk).update(ended_on=today())
    assert "Klienten har en sådan kontakt" not in page(as_manager_a.get(url))
