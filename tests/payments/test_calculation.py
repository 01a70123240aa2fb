"""The month's pay from dated history (payments/calculation.py): the edge cases of issue #17."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from payments.calculation import (
    MissingRate,
    Rates,
    active_days,
    allowance,
    fee,
    lost_earnings,
    round_ore,
    travel,
    weeks_of_month,
)
from payments.models import Rate
from tests import factories

D = dt.date
FEE, ALLOWANCE, TRAVEL, CAP = (
    Rate.Kind.FEE,
    Rate.Kind.ALLOWANCE,
    Rate.Kind.TRAVEL,
    Rate.Kind.LOST_EARNINGS_CAP,
)


def rate(kind, amount, valid_from, valid_to=None, wage_type="1100", taxable=True):
    return Rate(
        kind=kind,
        amount=Decimal(amount),
        valid_from=valid_from,
        valid_to=valid_to,
        wage_type=wage_type,
        taxable=taxable,
    )


def rates(kind, *items):
    return Rates(kind, items)


# --- Rounding ------------------------------------------------------------------------------


def test_amounts_are_rounded_half_up_to_whole_ore():
    assert round_ore(Decimal("0.005")) == Decimal("0.01")
    assert round_ore(Decimal("0.0049")) == Decimal("0.00")
    assert round_ore(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


def test_a_line_is_rounded_once_at_its_end_not_day_by_day():
    # 100 kr a week for three days: 300/7 = 42.857… → 42.86, where rounding each day's
    # 14.2857… first would give 3 × 14.29 = 42.87.
    lines = fee(
        started_on=D(2026, 3, 29),
        ended_on=None,
        month=D(2026, 3, 1),
        rates=rates(FEE, rate(FEE, "100", D(2026, 1, 1))),
    )
    assert [line.amount for line in lines] == [Decimal("42.86")]
    assert lines[0].units == 3


# --- The fee per day, with the rate valid on each day ------------------------------------------


def test_a_rate_change_in_the_middle_of_a_month_pays_each_day_at_its_own_rate():
    old = rate(FEE, "350", D(2026, 1, 1), D(2026, 3, 15))
    new = rate(FEE, "364", D(2026, 3, 16))
    [line] = fee(
        started_on=D(2025, 6, 1), ended_on=None, month=D(2026, 3, 1), rates=rates(FEE, old, new)
    )
    # 15 days × 350/7 = 750, 16 days × 364/7 = 832.
    assert line.amount == Decimal("1582.00")
    assert [(part.rate, part.units, part.first, part.last) for part in line.parts] == [
        (old, 15, D(2026, 3, 1), D(2026, 3, 15)),
        (new, 16, D(2026, 3, 16), D(2026, 3, 31)),
    ]


def test_a_new_wage_type_from_a_date_splits_the_line_for_payroll():
    old = rate(FEE, "350", D(2026, 1, 1), D(2026, 3, 15), wage_type="1100")
    new = rate(FEE, "350", D(2026, 3, 16), wage_type="1105")
    lines = fee(
        started_on=D(2025, 6, 1), ended_on=None, month=D(2026, 3, 1), rates=rates(FEE, old, new)
    )
    assert [(line.wage_type, line.amount) for line in lines] == [
        ("1100", Decimal("750.00")),
        ("1105", Decimal("800.00")),
    ]


def test_the_release_day_is_not_paid():
    # Released on 10 March: active 1-9 March (the register's end date is the first day off).
    [line] = fee(
        started_on=D(2026, 1, 1),
        ended_on=D(2026, 3, 10),
        month=D(2026, 3, 1),
        rates=rates(FEE, rate(FEE, "700", D(2026, 1, 1))),
    )
    assert line.units == 9
    assert line.amount == Decimal("900.00")


def test_a_month_without_an_active_day_has_no_line():
    kwargs = {"started_on": D(2026, 4, 2), "ended_on": None, "month": D(2026, 3, 1)}
    assert fee(**kwargs, rates=rates(FEE, rate(FEE, "700", D(2026, 1, 1)))) == []
    assert allowance(**kwargs, rates=rates(ALLOWANCE, rate(ALLOWANCE, "90", D(2026, 1, 1)))) == []


def test_a_day_without_a_rate_stops_the_calculation_with_a_swedish_message():
    with pytest.raises(MissingRate) as error:
        fee(
            started_on=D(2026, 3, 1),
            ended_on=None,
            month=D(2026, 3, 1),
            rates=rates(FEE, rate(FEE, "350", D(2026, 3, 2))),
        )
    assert "1 mar 2026" in error.value.message
    assert "Arvode" in error.value.message


# --- The allowance per started week, the week in the month of its Thursday --------------------


def test_weeks_belong_to_the_month_of_their_thursday():
    # Week 40 of 2026 runs Monday 28 September to Sunday 4 October; its Thursday is 1 October.
    assert weeks_of_month(D(2026, 9, 1))[-1] == D(2026, 9, 21)
    assert weeks_of_month(D(2026, 10, 1))[0] == D(2026, 9, 28)
    # Over Christmas and New Year: week 53 of 2026 (Thursday 31 December) is December's,
    # week 1 of 2027 begins on 4 January.
    assert weeks_of_month(D(2026, 12, 1))[-1] == D(2026, 12, 28)
    assert weeks_of_month(D(2027, 1, 1))[0] == D(2027, 1, 4)
    assert all(len(weeks_of_month(D(2026, m, 1))) in (4, 5) for m in range(1, 13))
    assert sum(len(weeks_of_month(D(2026, m, 1))) for m in range(1, 13)) == 53


def test_an_assignment_from_a_wednesday_to_a_tuesday_across_a_month_boundary():
    # Appointed Wednesday 30 September, last day Tuesday 6 October (released the 7th).
    started, ended = D(2026, 9, 30), D(2026, 10, 7)
    weekly = rates(ALLOWANCE, rate(ALLOWANCE, "92", D(2026, 1, 1), taxable=False))
    daily = rates(FEE, rate(FEE, "350", D(2026, 1, 1)))
    # September: one day of fee; its week's Thursday is 1 October, so no allowance.
    assert allowance(started_on=started, ended_on=ended, month=D(2026, 9, 1), rates=weekly) == []
    [september] = fee(started_on=started, ended_on=ended, month=D(2026, 9, 1), rates=daily)
    assert september.amount == Decimal("50.00")
    # October: six days of fee, and two started weeks (28 Sep-4 Oct and 5-11 Oct).
    [weeks] = allowance(started_on=started, ended_on=ended, month=D(2026, 10, 1), rates=weekly)
    assert (weeks.units, weeks.amount, weeks.taxable) == (2, Decimal("184.00"), False)
    [october] = fee(started_on=started, ended_on=ended, month=D(2026, 10, 1), rates=daily)
    assert october.amount == Decimal("300.00")


def test_a_week_is_paid_at_the_allowance_valid_on_its_thursday():
    old = rate(ALLOWANCE, "90", D(2026, 1, 1), D(2026, 6, 3))
    new = rate(ALLOWANCE, "95", D(2026, 6, 4))  # from Thursday 4 June
    [line] = allowance(
        started_on=D(2026, 1, 1),
        ended_on=None,
        month=D(2026, 6, 1),
        rates=rates(ALLOWANCE, old, new),
    )
    # June 2026 holds the Thursdays 4, 11, 18 and 25: all at the new rate.
    assert (line.units, line.amount) == (4, Decimal("380.00"))


# --- Travel and lost earnings -------------------------------------------------------------------


def test_travel_is_paid_per_kilometre_at_the_rate_of_the_trip_day():
    old = rate(TRAVEL, "2.50", D(2026, 1, 1), D(2026, 3, 15), wage_type="7300", taxable=False)
    new = rate(TRAVEL, "2.60", D(2026, 3, 16), wage_type="7300", taxable=False)
    [line] = travel(
        trips=[
            (D(2026, 3, 20), Decimal("12.5")),
            (D(2026, 3, 2), Decimal("33")),
            (D(2026, 3, 9), 0),
        ],
        rates=rates(TRAVEL, old, new),
    )
    # 33 km × 2.50 + 12.5 km × 2.60 = 82.50 + 32.50
    assert (line.units, line.amount) == (Decimal("45.5"), Decimal("115.00"))


def test_lost_earnings_are_capped_per_day():
    cap = rate(CAP, "1200", D(2026, 1, 1))
    [line] = lost_earnings(
        claims=[
            (D(2026, 3, 3), Decimal("800")),  # a court hearing in the morning
            (D(2026, 3, 3), Decimal("700")),  # and training in the afternoon: 1,500 > cap
            (D(2026, 3, 10), Decimal("450.50")),
        ],
        caps=rates(CAP, cap),
    )
    assert line.amount == Decimal("1650.50")
    assert [part.amount for part in line.parts] == [Decimal("1200"), Decimal("450.50")]


def test_active_days_count_both_ends_of_the_month():
    days = active_days(D(2026, 2, 27), None, D(2026, 3, 1), D(2026, 3, 31))
    assert (days[0], days[-1], len(days)) == (D(2026, 3, 1), D(2026, 3, 31), 31)


# --- Rates as dated data ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rate_that_overlaps_another_of_its_kind_is_refused_in_swedish():
    programme = factories.patient_committee_programme()
    Rate.objects.create(
        programme=programme,
        kind=FEE,
        amount=Decimal("350"),
        valid_from=D(2026, 1, 1),
        valid_to=None,
        wage_type="1100",
        taxable=True,
    )
    overlapping = Rate(
        programme=programme,
        kind=FEE,
        amount=Decimal("364"),
        valid_from=D(2026, 7, 1),
        wage_type="1100",
        taxable=True,
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "Ett annat belopp av samma slag gäller från 1 jan 2026" in str(error.value)
    # Another kind, or the same kind in another programme, does not overlap.
    other_kind = Rate(
        programme=programme,
        kind=ALLOWANCE,
        amount=Decimal("90"),
        valid_from=D(2026, 7, 1),
        wage_type="7100",
        taxable=False,
    )
    other_kind.full_clean()


@pytest.mark.django_db
def test_a_negative_rate_is_refused_in_swedish():
    negative = Rate(
        programme=factories.patient_committee_programme(),
        kind=FEE,
        amount=Decimal("-1"),
        valid_from=D(2026, 1, 1),
        wage_type="1100",
        taxable=True,
    )
    with pytest.raises(ValidationError) as error:
        negative.full_clean()
    assert "Ett belopp kan inte vara negativt." in str(error.value)
