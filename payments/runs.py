"""The monthly payment run's life after it is prepared (issue #17): attestation by a second
administrator, export to payroll, marked paid, and corrections as adjustment lines in a
later run. Each a keyword-only service in a transaction, on a locked run, refusing with a
Swedish message (ServiceError) and saving nothing when a rule is broken."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stodperson.concurrency import lock_unchanged
from stodperson.errors import ServiceError, check_done_date

from .calculation import round_ore
from .models import PaymentLine, PaymentRun

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _locked(run: PaymentRun, version: str) -> PaymentRun:
    return lock_unchanged(PaymentRun.objects.all(), run.pk, version)


def run_attest(*, run: PaymentRun, version: str, by: User) -> PaymentRun:
    """Attest a prepared run: by another administrator than the one who prepared it. From
    here on the run is frozen."""
    with transaction.atomic():
        run = _locked(run, version)
        if run.status != PaymentRun.Status.PREPARED:
            raise ServiceError(_("The run is already attested."))
        if run.prepared_by_id == by.pk:
            raise ServiceError(
                _("You prepared this run, so someone else must attest it (two-person rule).")
            )
        if not run.lines.exists():
            raise ServiceError(_("The run has no lines to attest."))
        run.status = PaymentRun.Status.ATTESTED
        run.attested_by = by
        run.attested_at = timezone.now()
        run.save()
    return run


def run_mark_exported(*, run: PaymentRun, by: User) -> PaymentRun:
    """Note that the payroll file was taken; it may be taken again, the time of the first stays."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if run.status == PaymentRun.Status.PREPARED:
            raise ServiceError(_("A run is exported to payroll only once it is attested."))
        if run.status == PaymentRun.Status.ATTESTED:
            run.status = PaymentRun.Status.EXPORTED
            run.exported_at = timezone.now()
            run.save()
    return run


def run_mark_paid(*, run: PaymentRun, version: str, paid_on: date, by: User) -> PaymentRun:
    with transaction.atomic():
        run = _locked(run, version)
        if run.status != PaymentRun.Status.EXPORTED:
            raise ServiceError(_("A run is marked paid once it is exported to payroll."))
        check_done_date(
            paid_on, not_before=timezone.localdate(run.attested_at), what=_("The payment day")
        )
        run.status = PaymentRun.Status.PAID
        run.paid_on = paid_on
        run.save()
    return run


def adjustment_add(
    *, run: PaymentRun, line: PaymentLine, amount: Decimal, reason: str, by: User
) -> PaymentLine:
    """Correct a line of an attested run by an adjustment line in a run still being prepared:
    `amount` is the difference (negative to take back), rounded to öre."""
    amount = round_ore(amount)
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        line = PaymentLine.objects.select_related("run").get(pk=line.pk)
        if run.is_frozen:
            raise ServiceError(_("An adjustment goes in a run that is not yet attested."))
        if not line.run.is_frozen:
            raise ServiceError(
                _("A line of a run not yet attested is corrected by preparing it again.")
            )
        if line.run.programme_id != run.programme_id:
            raise ServiceError(_("The line belongs to another programme's run."))
        if not amount:
            raise ServiceError(_("An adjustment of 0 kr changes nothing."))
        if not reason.strip():
            raise ServiceError(_("Give a reason for the adjustment."))
        return PaymentLine.objects.create(
            run=run,
            support_person_id=line.support_person_id,
            assignment_id=line.assignment_id,
            period=line.period,
            kind=line.kind,
            wage_type=line.wage_type,
            taxable=line.taxable,
            units=Decimal(0),
            amount=amount,
            basis=_("Adjustment of %(amount)s kr paid in the run for %(month)s")
            % {"amount": line.amount, "month": line.run.month.strftime("%Y-%m")},
            corrects=line,
            reason=reason.strip()[:300],
        )
