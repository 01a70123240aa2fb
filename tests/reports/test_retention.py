"""Retention (gallring): ended records are anonymised after the configured years, with a
dry run first and a log of every run."""

import datetime as dt

import pytest
from django.core.management import call_command

from assignments.models import Assignment
from audit.models import RetentionRun
from clients.models import Client, Consent, Contact
from reports.retention import ANONYMISED, apply_retention
from supportpersons.models import SupportPerson
from tests import factories

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def old_and_recent(world):
    old = factories.ClientFactory(
        unit=world.unit_a,
        first_name="Gammal",
        last_name="Klient",
        personnummer="19900101-0017",
        started_on=dt.date(2015, 1, 1),
        ended_on=dt.date(2020, 6, 30),
    )
    factories.ContactFactory(client=old)
    factories.ConsentFactory(client=old, given_on=dt.date(2016, 1, 1), review_on=None)
    person = factories.SupportPersonFactory(
        unit=world.unit_a,
        first_name="Före",
        last_name="Detta",
        recruited_on=dt.date(2014, 1, 1),
        status=SupportPerson.Status.INACTIVE,
        deactivated_on=dt.date(2020, 7, 1),
    )
    factories.AssignmentFactory(
        client=old,
        support_person=person,
        started_on=dt.date(2015, 1, 1),
        ended_on=dt.date(2020, 6, 30),
        end_reason=Assignment.EndReason.CARE_ENDED,
    )
    recent = factories.ClientFactory(
        unit=world.unit_a, started_on=dt.date(2019, 1, 1), ended_on=dt.date(2023, 1, 1)
    )
    return old, person, recent


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing_but_is_logged(old_and_recent):
    old, _, _ = old_and_recent
    result = apply_retention(today=TODAY, years=5)
    assert result.dry_run and result.clients == 1 and result.support_persons == 1
    assert Client.objects.get(pk=old.pk).first_name == "Gammal"
    run = RetentionRun.objects.get()
    assert run.dry_run and run.counts["clients"] == 1 and run.cutoff == dt.date(2021, 11, 22)


@pytest.mark.django_db
def test_applying_anonymises_what_ended_before_the_cutoff_and_keeps_the_rest(old_and_recent):
    old, person, recent = old_and_recent
    apply_retention(today=TODAY, years=5, dry_run=False)
    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.personnummer) == (ANONYMISED, "", "")
    assert old.anonymised_at is not None
    assert old.started_on == dt.date(2015, 1, 1)  # dates stay for statistics
    assert not Contact.objects.filter(client=old).exists()
    assert not Consent.objects.filter(client=old).exists()
    assert not Client.history.filter(id=old.pk).exists()
    assert Assignment.objects.filter(client=old).count() == 1  # anonymous rows stay
    person.refresh_from_db()
    assert (person.first_name, person.email, person.user) == (ANONYMISED, "", None)
    assert person.gender and person.locality_id  # kept for the pool statistics
    recent.refresh_from_db()
    assert recent.anonymised_at is None and recent.first_name != ANONYMISED


@pytest.mark.django_db
def test_running_twice_changes_nothing_more(old_and_recent):
    apply_retention(today=TODAY, years=5, dry_run=False)
    second = apply_retention(today=TODAY, years=5, dry_run=False)
    assert second.clients == 0 and second.support_persons == 0


@pytest.mark.django_db
def test_the_command_is_a_dry_run_unless_told_to_apply(old_and_recent, capsys):
    old, _, _ = old_and_recent
    call_command("apply_retention", "--today", "2026-11-22")
    assert "dry run" in capsys.readouterr().out
    assert Client.objects.get(pk=old.pk).first_name == "Gammal"
    call_command("apply_retention", "--today", "2026-11-22", "--apply")
    assert Client.objects.get(pk=old.pk).first_name == ANONYMISED
    assert RetentionRun.objects.count() == 2


@pytest.mark.django_db
def test_the_persons_account_is_closed_but_a_managers_account_is_kept(old_and_recent, world):
    _, person, _ = old_and_recent
    account = factories.UserFactory(username="fore.detta")
    person.user = account
    person.save()
    manager_too = factories.SupportPersonFactory(
        unit=world.unit_a,
        user=factories.UserFactory(username="chef.som.var.stod"),
        recruited_on=dt.date(2014, 1, 1),
        status=SupportPerson.Status.INACTIVE,
        deactivated_on=dt.date(2020, 7, 1),
    )
    world.unit_b.managers.add(manager_too.user)
    apply_retention(today=TODAY, years=5, dry_run=False)
    account.refresh_from_db()
    assert account.username == f"gallrad-{account.pk}" and not account.is_active
    manager_too.user.refresh_from_db()
    assert manager_too.user.username == "chef.som.var.stod" and manager_too.user.is_active


@pytest.mark.django_db
def test_retention_needs_at_least_a_year(world):
    with pytest.raises(ValueError):
        apply_retention(today=TODAY, years=0)


@pytest.mark.django_db
def test_retention_empties_the_reasons_of_the_decisions_and_keeps_what_was_decided(
    old_and_recent, admin_user
):
    old, person, _ = old_and_recent
    assignment = old.assignments.get()
    decision = factories.DecisionFactory(
        assignment=assignment, decided_on=dt.date(2015, 1, 1), reasons="Patientens önskan"
    )
    decision.reasons = "Ändrat av kansliet"
    decision.save()  # a history row with the text
    own = factories.DecisionFactory(
        assignment=None, client=None, support_person=person, kind="deactivation", reasons="Flytt"
    )
    apply_retention(today=TODAY, years=5, dry_run=False, by=admin_user)
    decision.refresh_from_db()
    own.refresh_from_db()
    assert (decision.reasons, own.reasons) == ("", "")
    assert (decision.kind, decision.decided_on) == ("appointment", dt.date(2015, 1, 1))
    assert not decision.history.exists()
