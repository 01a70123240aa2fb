"""The volunteers' pay (issue #17): the programme's rates as dated data.

A rate is valid from a date to a date (both days included; no end date: until further
notice). Rates of one kind in one programme never overlap, so on any day at most one holds
(`Rate.overlapping`, checked by the admin's form and by `rate_create`). A paid amount is
stored on its payment line, so a later change of rate never alters it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Programme


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
