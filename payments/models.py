"""The volunteers' pay (issue #17): the programme's rates as dated data.

A rate is valid from a date to a date (both days included; no end date: until further
notice). Rates of one kind in one programme never overlap, so on any day at most one holds
(`Rate.overlapping`, checked by the admin's form and by `rate_create`). A paid amount is
stored on its payment line, so a later change of rate never alters it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Programme
from clients.personnummer import mask_personnummer, validate_personnummer


class Rate(models.Model):
    """One of the region's rates (Norrbotten RF 2018 §52): the fee (arvode) per assignment and
    week, the expense allowance (omkostnadsersättning) per started week, travel per km, and
    the cap per day for lost earnings (förlorad arbetsinkomst)."""

    class Kind(models.TextChoices):
        FEE = "fee", _("Fee per assignment and week")
        ALLOWANCE = "allowance", _("Expense allowance per started week")
        TRAVEL = "travel", _("Travel per kilometre")
        LOST_EARNINGS_CAP = "lost_earnings_cap", _("Lost earnings, cap per day")

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="rates", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (kronor)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), _("A rate cannot be negative."))],
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("The last day; empty: until further notice."),
    )
    wage_type = models.CharField(
        _("wage type (löneart)"), max_length=20, help_text=_("The code payroll pays it under.")
    )
    taxable = models.BooleanField(_("taxable"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["programme", "kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="rate_not_negative",
                violation_error_message=_("A rate cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rate_ends_after_it_begins",
                violation_error_message=_("A rate cannot end before it begins."),
            ),
        ]
        indexes = [models.Index(fields=["programme", "kind", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} kr"

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlapping(self) -> models.QuerySet[Rate]:
        """The other rates of the same kind and programme whose validity meets this one's."""
        others = Rate.objects.filter(programme_id=self.programme_id, kind=self.kind).exclude(
            pk=self.pk
        )
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        return others

    def clean(self) -> None:
        if self.programme_id is None or not self.kind or self.valid_from is None:
            return
        if self.valid_to is not None and self.valid_to < self.valid_from:
            return  # the constraint's own message says it
        other = self.overlapping().first()
        if other is not None:
            raise ValidationError(
                _(
                    "Another rate of this kind holds from %(start)s%(end)s. End it the day "
                    "before this one begins, or choose other dates."
                )
                % {
                    "start": date_format(other.valid_from, "DATE_FORMAT"),
                    "end": (
                        _(" to %(day)s") % {"day": date_format(other.valid_to, "DATE_FORMAT")}
                        if other.valid_to
                        else ""
                    ),
                }
            )


class PaymentRun(models.Model):
    """A month's payment run (utbetalning): prepared by one administrator, attested by another
    (the same person can never do both), then exported to payroll and marked paid. Once
    attested it is frozen: a later correction is an adjustment line in a later run."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        ATTESTED = "attested", _("Attested")
        EXPORTED = "exported", _("Exported to payroll")
        PAID = "paid", _("Paid")

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="payment_runs", verbose_name=_("programme")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month it pays."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    prepared_at = models.DateTimeField(_("prepared"), default=timezone.now)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attested by"),
    )
    attested_at = models.DateTimeField(_("attested"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["-month", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "month"],
                name="paymentrun_one_per_programme_and_month",
                violation_error_message=_(
                    "The programme already has a payment run for that month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="paymentrun_month_is_first_day",
                violation_error_message=_("A run's month is given by its first day."),
            ),
            # Two-person attestation: never the one who prepared it.
            models.CheckConstraint(
                condition=Q(attested_by__isnull=True) | ~Q(attested_by=models.F("prepared_by")),
                name="paymentrun_attested_by_another",
                violation_error_message=_(
                    "A run is attested by someone other than who prepared it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.month:%Y-%m}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.PREPARED


class PaymentLine(models.Model):
    """One amount to one volunteer: for an assignment's month (fee, allowance, travel,
    expenses) or for a claim (lost earnings), with what it was computed from. An adjustment
    corrects a line of an earlier, attested run; the original is never edited."""

    class Kind(models.TextChoices):
        FEE = "fee", _("Fee")
        ALLOWANCE = "allowance", _("Expense allowance")
        TRAVEL = "travel", _("Travel")
        EXPENSES = "expenses", _("Expenses")
        LOST_EARNINGS = "lost_earnings", _("Lost earnings")

    run = models.ForeignKey(
        PaymentRun, models.CASCADE, related_name="lines", verbose_name=_("payment run")
    )
    support_person = models.ForeignKey(
        "supportpersons.SupportPerson",
        models.PROTECT,
        related_name="payment_lines",
        verbose_name=_("support person"),
    )
    assignment = models.ForeignKey(
        "assignments.Assignment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_lines",
        verbose_name=_("assignment"),
    )
    period = models.DateField(
        _("for the month"), help_text=_("The first day of the month paid for.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    wage_type = models.CharField(_("wage type (löneart)"), max_length=20)
    taxable = models.BooleanField(_("taxable"))
    units = models.DecimalField(_("units"), max_digits=10, decimal_places=2, default=Decimal(0))
    amount = models.DecimalField(_("amount (kronor)"), max_digits=12, decimal_places=2)
    basis = models.TextField(_("computed from"), blank=True)
    corrects = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        verbose_name=_("corrects"),
    )
    reason = models.CharField(_("reason for the adjustment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["support_person_id", "period", "kind", "id"]
        constraints = [
            # Never paid twice: one line per assignment, month, kind and wage type, across
            # every run (adjustments aside).
            models.UniqueConstraint(
                fields=["assignment", "period", "kind", "wage_type"],
                condition=Q(corrects__isnull=True, assignment__isnull=False),
                name="paymentline_paid_once",
                violation_error_message=_("That month is already paid for the assignment."),
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""),
                name="paymentline_adjustment_has_reason",
                violation_error_message=_("An adjustment needs a reason."),
            ),
        ]
        indexes = [models.Index(fields=["run", "support_person"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} kr"


class Payee(models.Model):
    """What payroll needs to pay a volunteer and nothing else needs: the personnummer (the fee
    is taxable). Kept apart from the pool, shown on no page (masked in the admin), and
    written only into the payroll file, whose export is in the read log."""

    support_person = models.OneToOneField(
        "supportpersons.SupportPerson",
        models.CASCADE,
        related_name="payee",
        verbose_name=_("support person"),
    )
    personnummer = models.CharField(
        _("personal identity number"), max_length=13, validators=[validate_personnummer]
    )

    history = HistoricalRecords(excluded_fields=["personnummer"])

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")

    def __str__(self) -> str:
        return mask_personnummer(self.personnummer)


class Budget(models.Model):
    """A programme's budget for pay in a year, and the cost centre (kostnadsställe) payroll
    books it on."""

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="budgets", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (kronor)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), _("A budget cannot be negative."))],
    )
    cost_centre = models.CharField(_("cost centre"), max_length=20)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"],
                name="budget_one_per_programme_and_year",
                violation_error_message=_("The programme already has a budget for that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"
