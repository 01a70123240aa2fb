"""A payment run after it is prepared (payments/runs.py, payments/payroll.py): two-person
attestation, the payroll file, paid, and corrections as adjustments in a later run."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from payments import payroll, runs
from payments.models import Budget, Payee, PaymentLine, PaymentRun
from stodperson.concurrency import StaleVersion, version_of
from stodperson.errors import ServiceError
from tests import factories

pytestmark = pytest.mark.django_db

MONTH = dt.date(2026, 10, 1)


@pytest.fixture
def office(admin_user):
    second = factories.UserFactory(username="admin2", first_name="Bengt", last_name="Attest")
    second.groups.set(admin_user.groups.all())
    return admin_user, second


@pytest.fixture
def run(office):
    programme = factories.patient_committee_programme()
    Budget.objects.create(
        programme=programme, year=2026, amount=Decimal("500000"), cost_centre="71200"
    )
    return PaymentRun.objects.create(programme=programme, month=MONTH, prepared_by=office[0])


def volunteer(first_name, last_name, personnummer="19850412-1234"):
    person = factories.SupportPersonFactory(
        programme=factories.patient_committee_programme(),
        first_name=first_name,
        last_name=last_name,
    )
    if personnummer:
        Payee.objects.create(support_person=person, personnummer=personnummer)
    return person


def line(run, person, kind, amount, wage_type, *, taxable=True, period=MONTH, assignment=None):
    return PaymentLine.objects.create(
        run=run,
        support_person=person,
        assignment=assignment,
        period=period,
        kind=kind,
        wage_type=wage_type,
        taxable=taxable,
        amount=Decimal(amount),
    )


def attested(run, by):
    return runs.run_attest(run=run, version=version_of(run), by=by)


# --- Two-person attestation ---------------------------------------------------------------


def test_the_one_who_prepared_a_run_cannot_attest_it(run, office):
    line(run, volunteer("Erik", "Holm"), PaymentLine.Kind.FEE, "1582.00", "1100")
    with pytest.raises(ServiceError) as error:
        attested(run, office[0])
    assert "någon annan" in error.value.message
    run.refresh_from_db()
    assert (run.status, run.attested_by) == (PaymentRun.Status.PREPARED, None)


def test_the_database_refuses_it_too(run, office):
    run.attested_by = office[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()


def test_a_second_administrator_attests_and_the_run_is_frozen(run, office):
    line(run, volunteer("Erik", "Holm"), PaymentLine.Kind.FEE, "1582.00", "1100")
    run = attested(run, office[1])
    assert (run.status, run.attested_by, run.is_frozen) == (
        PaymentRun.Status.ATTESTED,
        office[1],
        True,
    )
    with pytest.raises(ServiceError):
        attested(run, office[1])


def test_an_empty_run_is_not_attested(run, office):
    with pytest.raises(ServiceError) as error:
        attested(run, office[1])
    assert error.value.message == "Utbetalningen har inga rader att attestera."


def test_attesting_a_run_changed_since_the_page_was_opened_is_refused(run, office):
    line(run, volunteer("Erik", "Holm"), PaymentLine.Kind.FEE, "1582.00", "1100")
    stale = version_of(run)
    run.save()  # someone prepared it again meanwhile
    with pytest.raises(StaleVersion):
        runs.run_attest(run=run, version=stale, by=office[1])


# --- The payroll file ---------------------------------------------------------------------


def test_the_payroll_file_has_a_row_per_volunteer_and_wage_type(run, office):
    erik = volunteer("Erik", "Holm", "19850412-1234")
    anna = volunteer("=Anna", "Berg", "19791224-0005")  # a name that a spreadsheet would run
    line(run, erik, PaymentLine.Kind.FEE, "1582.00", "1100")
    line(run, erik, PaymentLine.Kind.FEE, "50.00", "1100", period=dt.date(2026, 9, 1))
    line(run, erik, PaymentLine.Kind.ALLOWANCE, "184.00", "7100", taxable=False)
    line(run, anna, PaymentLine.Kind.TRAVEL, "115.00", "7300", taxable=False)
    rows = payroll.payroll_rows(attested(run, office[1]))
    assert rows == [
        ["19791224-0005", "=Anna Berg", "7300", "2026-10", Decimal("115.00"), "Nej", "71200"],
        ["19850412-1234", "Erik Holm", "1100", "2026-10", Decimal("1632.00"), "Ja", "71200"],
        ["19850412-1234", "Erik Holm", "7100", "2026-10", Decimal("184.00"), "Nej", "71200"],
    ]
    text = payroll.payroll_csv(rows).decode("utf-8")
    assert text.startswith(
        "\ufeffPersonnummer;Namn;Löneart;Period;Belopp;Skattepliktig;Kostnadsställe\r\n"
    )
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[1] == [
        "19791224-0005",
        "'=Anna Berg",
        "7300",
        "2026-10",
        "115,00",
        "Nej",
        "71200",
    ]
    assert payroll.payroll_xlsx(rows)[:2] == b"PK"


def test_the_file_is_refused_while_a_personnummer_is_missing(run, office):
    line(run, volunteer("Erik", "Holm", personnummer=None), PaymentLine.Kind.FEE, "10", "1100")
    with pytest.raises(ServiceError) as error:
        payroll.payroll_rows(run)
    assert error.value.message == "Lönesystemet behöver personnumret för: Erik Holm."


def test_the_file_needs_the_years_cost_centre(run, office):
    Budget.objects.all().delete()
    with pytest.raises(ServiceError) as error:
        payroll.payroll_rows(run)
    assert "2026" in error.value.message and "kostnadsställe" in error.value.message


# --- Exported, paid -----------------------------------------------------------------------


def test_a_run_is_exported_after_attestation_then_marked_paid(run, office):
    line(run, volunteer("Erik", "Holm"), PaymentLine.Kind.FEE, "1582.00", "1100")
    with pytest.raises(ServiceError):
        runs.run_mark_exported(run=run, by=office[0])
    run = runs.run_mark_exported(run=attested(run, office[1]), by=office[0])
    assert run.status == PaymentRun.Status.EXPORTED
    first_export = run.exported_at
    assert runs.run_mark_exported(run=run, by=office[0]).exported_at == first_export
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ServiceError) as error:
        runs.run_mark_paid(run=run, version=version_of(run), paid_on=tomorrow, by=office[0])
    assert "framtiden" in error.value.message
    run = runs.run_mark_paid(
        run=run, version=version_of(run), paid_on=timezone.localdate(), by=office[0]
    )
    assert (run.status, run.paid_on) == (PaymentRun.Status.PAID, timezone.localdate())


# --- Never twice; corrections as adjustments ------------------------------------------------


def test_an_assignments_month_is_never_paid_twice(run, office):
    person = volunteer("Erik", "Holm")
    assignment = factories.AssignmentFactory(support_person=person)
    line(run, person, PaymentLine.Kind.FEE, "1582.00", "1100", assignment=assignment)
    later = PaymentRun.objects.create(
        programme=run.programme, month=dt.date(2026, 11, 1), prepared_by=office[0]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        line(later, person, PaymentLine.Kind.FEE, "1582.00", "1100", assignment=assignment)


def test_a_correction_after_attestation_is_an_adjustment_in_a_later_run(run, office):
    person = volunteer("Erik", "Holm")
    paid = line(run, person, PaymentLine.Kind.TRAVEL, "115.00", "7300", taxable=False)
    attested(run, office[1])
    later = PaymentRun.objects.create(
        programme=run.programme, month=dt.date(2026, 11, 1), prepared_by=office[0]
    )
    with pytest.raises(ServiceError) as error:
        runs.adjustment_add(run=later, line=paid, amount=Decimal("-12"), reason=" ", by=office[0])
    assert error.value.message == "Ange ett skäl till justeringen."
    adjustment = runs.adjustment_add(
        run=later, line=paid, amount=Decimal("-12.505"), reason="Fel antal km", by=office[0]
    )
    assert (adjustment.amount, adjustment.corrects, adjustment.wage_type) == (
        Decimal("-12.51"),
        paid,
        "7300",
    )
    paid.refresh_from_db()
    assert paid.amount == Decimal("115.00")  # the original is never edited
    # Not into a frozen run, and not of a line whose run is still being prepared.
    with pytest.raises(ServiceError):
        runs.adjustment_add(run=run, line=paid, amount=Decimal("1"), reason="x", by=office[0])
    with pytest.raises(ServiceError):
        runs.adjustment_add(
            run=later, line=adjustment, amount=Decimal("1"), reason="x", by=office[0]
        )
