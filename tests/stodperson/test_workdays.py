"""Working days on the Swedish calendar (domain rule 5).

Every date below was worked out by hand from the calendar (Easter Sunday 2022-2027:
17 Apr, 9 Apr, 31 Mar, 20 Apr, 5 Apr, 28 Mar; Ascension is Easter + 39 days;
Midsummer Eve is the Friday 19-25 June; All Saints' Day the Saturday 31 Oct-6 Nov),
not copied from the code under test.
"""

import random
from datetime import date, timedelta

import pytest

from stodperson import workdays
from stodperson.workdays import (
    Pause,
    add_working_days,
    deadline,
    first_working_day_on_or_after,
    holiday_name,
    is_working_day,
    working_days_elapsed,
)

# Holidays and eves that fall on Monday-Friday, per year: the only days besides
# weekends that a count skips.
WEEKDAYS_OFF = {
    2022: [
        date(2022, 1, 6),  # Trettondedag jul, Thu
        date(2022, 4, 15),  # Långfredagen
        date(2022, 4, 18),  # Annandag påsk
        date(2022, 5, 26),  # Kristi himmelsfärdsdag
        date(2022, 6, 6),  # Nationaldagen, Mon
        date(2022, 6, 24),  # Midsommarafton
        date(2022, 12, 26),  # Annandag jul, Mon
    ],
    2023: [
        date(2023, 1, 6),
        date(2023, 4, 7),
        date(2023, 4, 10),
        date(2023, 5, 1),
        date(2023, 5, 18),
        date(2023, 6, 6),
        date(2023, 6, 23),
        date(2023, 12, 25),
        date(2023, 12, 26),
    ],
    2024: [
        date(2024, 1, 1),
        date(2024, 3, 29),
        date(2024, 4, 1),
        date(2024, 5, 1),
        date(2024, 5, 9),
        date(2024, 6, 6),
        date(2024, 6, 21),
        date(2024, 12, 24),
        date(2024, 12, 25),
        date(2024, 12, 26),
        date(2024, 12, 31),
    ],
    2025: [
        date(2025, 1, 1),
        date(2025, 1, 6),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 1),
        date(2025, 5, 29),
        date(2025, 6, 6),
        date(2025, 6, 20),
        date(2025, 12, 24),
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2025, 12, 31),
    ],
    2026: [
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 6, 19),
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
    ],
    2027: [
        date(2027, 1, 1),
        date(2027, 1, 6),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 6),
        date(2027, 6, 25),
        date(2027, 12, 24),
        date(2027, 12, 31),
    ],
}

# Weekdays in the year (52 whole weeks plus the one or two days left over)
# minus the weekday holidays above.
WORKING_DAYS_IN_YEAR = {
    2022: 260 - 7,  # starts on a Saturday: the extra day is a weekend day
    2023: 260 - 9,  # starts on a Sunday
    2024: 262 - 11,  # leap year starting on a Monday: Mon and Tue extra
    2025: 261 - 12,  # starts on a Wednesday
    2026: 261 - 10,  # starts on a Thursday
    2027: 261 - 8,  # starts on a Friday
}


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", sorted(WEEKDAYS_OFF))
def test_the_weekdays_off_are_exactly_the_holidays_and_eves_of_the_year(year: int) -> None:
    off = [day for day in days_of(year) if day.weekday() < 5 and not is_working_day(day)]
    assert off == WEEKDAYS_OFF[year]


@pytest.mark.parametrize("year", sorted(WORKING_DAYS_IN_YEAR))
def test_a_year_has_the_hand_counted_number_of_working_days(year: int) -> None:
    assert sum(is_working_day(day) for day in days_of(year)) == WORKING_DAYS_IN_YEAR[year]


def test_weekends_are_never_working_days() -> None:
    for year in WEEKDAYS_OFF:
        assert not any(is_working_day(day) for day in days_of(year) if day.weekday() >= 5)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        # Christmas to Epiphany
        (date(2025, 12, 24), "Julafton"),
        (date(2025, 12, 25), "Juldagen"),
        (date(2025, 12, 26), "Annandag jul"),
        (date(2025, 12, 31), "Nyårsafton"),
        (date(2026, 1, 1), "Nyårsdagen"),
        (date(2026, 1, 6), "Trettondedag jul"),
        # Easter
        (date(2025, 4, 18), "Långfredagen"),
        (date(2025, 4, 20), "Påskdagen"),
        (date(2025, 4, 21), "Annandag påsk"),
        (date(2026, 4, 3), "Långfredagen"),
        (date(2026, 4, 6), "Annandag påsk"),
        # Spring
        (date(2026, 5, 1), "Första maj"),
        (date(2025, 5, 29), "Kristi himmelsfärdsdag"),
        (date(2026, 5, 14), "Kristi himmelsfärdsdag"),
        (date(2026, 5, 24), "Pingstdagen"),
        (date(2025, 6, 6), "Nationaldagen"),
        (date(2026, 6, 6), "Nationaldagen"),
        # Midsummer
        (date(2025, 6, 20), "Midsommarafton"),
        (date(2025, 6, 21), "Midsommardagen"),
        (date(2026, 6, 19), "Midsommarafton"),
        (date(2026, 6, 20), "Midsommardagen"),
        # All Saints' Day: the Saturday from 31 October to 6 November
        (date(2022, 11, 5), "Alla helgons dag"),
        (date(2023, 11, 4), "Alla helgons dag"),
        (date(2024, 11, 2), "Alla helgons dag"),
        (date(2025, 11, 1), "Alla helgons dag"),
        (date(2026, 10, 31), "Alla helgons dag"),
        (date(2027, 11, 6), "Alla helgons dag"),
    ],
)
def test_a_holiday_is_named_in_swedish(day: date, name: str) -> None:
    assert holiday_name(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 7),  # a plain Saturday
        date(2026, 3, 9),  # a plain Monday
        date(2025, 6, 9),  # Whit Monday: no longer a holiday since National Day replaced it (2005)
        date(2025, 10, 31),  # the Friday before All Saints' Day
        date(2025, 4, 19),  # Easter Saturday: a weekend, but not a named holiday
    ],
)
def test_an_ordinary_day_has_no_holiday_name(day: date) -> None:
    assert holiday_name(day) is None


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 6, 9),  # Whit Monday
        date(2025, 10, 31),  # Friday before All Saints' Day
        date(2026, 6, 5),  # Friday before National Day on a Saturday: no day in lieu
        date(2027, 6, 7),  # Monday after National Day on a Sunday: no day in lieu
        date(2026, 12, 28),  # Monday between Christmas and New Year
        date(2026, 1, 5),  # the day before Epiphany
    ],
)
def test_days_that_look_special_are_still_working_days(day: date) -> None:
    assert is_working_day(day)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),  # a working Monday stays
        (date(2026, 3, 1), date(2026, 3, 2)),  # Sunday -> Monday
        (date(2026, 4, 3), date(2026, 4, 7)),  # Good Friday -> Tuesday after Easter Monday
        (date(2025, 12, 24), date(2025, 12, 29)),  # Christmas Eve 2025 -> Monday 29th
        (date(2025, 12, 31), date(2026, 1, 2)),  # New Year's Eve -> Friday 2 January
        (date(2026, 6, 19), date(2026, 6, 22)),  # Midsummer Eve -> Monday
    ],
)
def test_first_working_day_on_or_after(day: date, expected: date) -> None:
    assert first_working_day_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # A request arriving on a Sunday counts from the Monday.
        (date(2026, 3, 1), 0, date(2026, 3, 2)),
        (date(2026, 3, 1), 3, date(2026, 3, 5)),
        # Friday + 1 skips the weekend.
        (date(2026, 3, 6), 1, date(2026, 3, 9)),
        # Easter 2025: Good Friday 18 and Easter Monday 21 April.
        (date(2025, 4, 17), 3, date(2025, 4, 24)),
        # Easter 2026: Good Friday 3 and Easter Monday 6 April.
        (date(2026, 4, 2), 3, date(2026, 4, 9)),
        # Ascension Day 2025-05-29 and 2026-05-14.
        (date(2025, 5, 28), 3, date(2025, 6, 3)),
        (date(2026, 5, 13), 3, date(2026, 5, 19)),
        # National Day on a Friday (2025) is skipped...
        (date(2025, 6, 5), 1, date(2025, 6, 9)),
        # ...on a Saturday (2026) it costs nothing.
        (date(2026, 6, 5), 1, date(2026, 6, 8)),
        # Midsummer Eve 2025-06-20.
        (date(2025, 6, 19), 1, date(2025, 6, 23)),
        # Long spans: a whole year of working days from the first one of 2026.
        (date(2026, 1, 2), 250, date(2026, 12, 30)),
        (date(2026, 1, 2), 251, date(2027, 1, 4)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


def test_adding_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)


def test_a_request_the_day_before_midsummer_eve_is_due_the_next_wednesday() -> None:
    # Thu 18 June is day 0; Fri 19 is Midsummer Eve; Mon 22, Tue 23, Wed 24 are days 1-3.
    assert deadline(date(2026, 6, 18), 3) == date(2026, 6, 24)


def test_a_request_on_christmas_eve_counts_from_the_twenty_seventh() -> None:
    # 2024: Christmas Eve is a Tuesday, 25 and 26 are holidays, so Friday 27 is day 0.
    # Mon 30 is day 1, 31 Dec and 1 Jan are off, Thu 2 and Fri 3 are days 2 and 3.
    received = date(2024, 12, 24)
    assert add_working_days(received, 0) == date(2024, 12, 27)
    assert deadline(received, 3) == date(2025, 1, 3)


def test_a_request_on_christmas_eve_2025_counts_from_the_twenty_ninth() -> None:
    # 24-26 Dec are off, then a weekend: Mon 29 is day 0, Tue 30 day 1, Fri 2 Jan day 2,
    # Mon 5 Jan day 3, and Epiphany on Tue 6 Jan pushes day 4 to Wed 7 Jan.
    received = date(2025, 12, 24)
    assert deadline(received, 3) == date(2026, 1, 5)
    assert deadline(received, 4) == date(2026, 1, 7)


def test_a_request_arriving_on_a_sunday_is_due_on_thursday() -> None:
    assert deadline(date(2026, 3, 1), 3) == date(2026, 3, 5)
    assert working_days_elapsed(date(2026, 3, 1), date(2026, 3, 2)) == 0
    assert working_days_elapsed(date(2026, 3, 1), date(2026, 3, 5)) == 3


def test_a_target_of_zero_is_due_on_day_zero() -> None:
    assert deadline(date(2026, 3, 1), 0) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), 0),  # day 0 itself
        (date(2026, 3, 2), date(2026, 2, 27), 0),  # end before the start
        (date(2026, 3, 1), date(2026, 2, 28), 0),  # end before day 0
        (date(2026, 3, 2), date(2026, 3, 3), 1),
        (date(2026, 3, 2), date(2026, 3, 8), 4),  # Tue-Fri; the weekend adds nothing
        (date(2026, 3, 2), date(2026, 3, 9), 5),
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # over Easter 2026
        (date(2026, 6, 18), date(2026, 6, 24), 3),  # over Midsummer 2026
        (date(2025, 12, 23), date(2026, 1, 7), 5),  # over Christmas: 29, 30 Dec, 2, 5, 7 Jan
    ],
)
def test_working_days_elapsed(start: date, end: date, expected: int) -> None:
    assert working_days_elapsed(start, end) == expected


def test_a_whole_year_elapses_one_day_fewer_than_it_has_working_days() -> None:
    # 2026 has 261 weekdays and 10 weekday holidays or eves: 251 working days.
    # 1 Jan is a holiday, so day 0 is Friday 2 Jan, which itself is not counted.
    assert WORKING_DAYS_IN_YEAR[2026] == 251
    assert working_days_elapsed(date(2026, 1, 1), date(2026, 12, 31)) == 250


def test_elapsed_counts_across_several_years() -> None:
    # From the last working day of 2021 (Thu 30 Dec; Fri 31 is New Year's Eve),
    # to the end of 2027: every working day of 2022-2027 counts.
    expected = sum(WORKING_DAYS_IN_YEAR.values())
    assert working_days_elapsed(date(2021, 12, 30), date(2027, 12, 31)) == expected


# Pauses: the patient could not take a position. Request on Monday 2026-03-02 (day 0);
# without pauses it is due on Thursday 5 March.
MONDAY = date(2026, 3, 2)


def test_a_pause_over_a_weekend_stops_the_clock_until_it_resumes() -> None:
    # Paused Thu 5 up to Tue 10: Tue 3 and Wed 4 count, then the clock waits over
    # Fri 6, the weekend and Mon 9, and Tue 10 (the resume day) is day 3.
    pauses: list[Pause] = [(date(2026, 3, 5), date(2026, 3, 10))]
    assert working_days_elapsed(MONDAY, date(2026, 3, 9), pauses) == 2
    assert working_days_elapsed(MONDAY, date(2026, 3, 10), pauses) == 3
    assert deadline(MONDAY, 3, pauses) == date(2026, 3, 10)


def test_an_open_pause_leaves_no_deadline() -> None:
    pauses: list[Pause] = [(date(2026, 3, 4), None)]
    assert deadline(MONDAY, 3, pauses) is None
    # Only Tue 3 counted before the pause, however long we wait.
    assert working_days_elapsed(MONDAY, date(2026, 12, 31), pauses) == 1


def test_an_open_pause_from_the_deadline_day_leaves_no_deadline() -> None:
    assert deadline(MONDAY, 3, [(date(2026, 3, 5), None)]) is None


def test_an_open_pause_after_the_deadline_does_not_move_it() -> None:
    assert deadline(MONDAY, 3, [(date(2026, 3, 6), None)]) == date(2026, 3, 5)


def test_a_pause_that_ends_the_day_it_starts_changes_nothing() -> None:
    pauses: list[Pause] = [(date(2026, 3, 4), date(2026, 3, 4))]
    assert deadline(MONDAY, 3, pauses) == date(2026, 3, 5)
    assert working_days_elapsed(MONDAY, date(2026, 3, 5), pauses) == 3


def test_a_pause_begun_before_the_request_holds_the_clock_until_it_resumes() -> None:
    # Paused from Fri 27 Feb, resuming Wed 4 March: Wed 4, Thu 5, Fri 6 are days 1-3.
    pauses: list[Pause] = [(date(2026, 2, 27), date(2026, 3, 4))]
    assert deadline(MONDAY, 3, pauses) == date(2026, 3, 6)


def test_overlapping_pauses_are_not_subtracted_twice() -> None:
    # Together they pause Tue 3 up to (not including) Mon 9.
    pauses: list[Pause] = [
        (date(2026, 3, 4), date(2026, 3, 9)),
        (date(2026, 3, 3), date(2026, 3, 5)),
    ]
    assert working_days_elapsed(MONDAY, date(2026, 3, 8), pauses) == 0
    assert working_days_elapsed(MONDAY, date(2026, 3, 11), pauses) == 3
    assert deadline(MONDAY, 3, pauses) == date(2026, 3, 11)


def test_a_pause_that_resumes_before_it_begins_is_refused() -> None:
    with pytest.raises(ValueError):
        working_days_elapsed(MONDAY, date(2026, 3, 9), [(date(2026, 3, 5), date(2026, 3, 4))])


def test_a_pause_across_easter_holds_back_only_its_working_days() -> None:
    # Request Wed 1 April 2026; paused Thu 2 up to Wed 8, across Easter.
    # Day 1 is Wed 8 (resume day), then Thu 9, Fri 10.
    pauses: list[Pause] = [(date(2026, 4, 2), date(2026, 4, 8))]
    assert working_days_elapsed(date(2026, 4, 1), date(2026, 4, 7), pauses) == 0
    assert deadline(date(2026, 4, 1), 3, pauses) == date(2026, 4, 10)


def naive_elapsed(start: date, end: date, pauses: list[Pause]) -> int:
    day = first_working_day_on_or_after(start) + timedelta(days=1)
    count = 0
    while day <= end:
        paused = any(b <= day and (r is None or day < r) for b, r in pauses)
        count += is_working_day(day) and not paused
        day += timedelta(days=1)
    return count


def test_elapsed_and_deadline_agree_with_a_day_by_day_count() -> None:
    rng = random.Random(2026)
    first = date(2021, 12, 1)
    for _ in range(400):
        start = first + timedelta(days=rng.randrange(6 * 365))
        pauses: list[Pause] = []
        for _ in range(rng.randrange(3)):
            begin = start + timedelta(days=rng.randrange(-5, 30))
            resume = None if rng.random() < 0.2 else begin + timedelta(days=rng.randrange(15))
            pauses.append((begin, resume))
        end = start + timedelta(days=rng.randrange(-3, 60))
        assert working_days_elapsed(start, end, pauses) == naive_elapsed(start, end, pauses)

        target = rng.randrange(1, 15)
        due = deadline(start, target, pauses)
        if due is None:
            assert naive_elapsed(start, start + timedelta(days=400), pauses) < target
        else:
            assert naive_elapsed(start, due, pauses) == target
            assert naive_elapsed(start, due - timedelta(days=1), pauses) < target


def test_holiday_sets_are_built_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = workdays.holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    workdays._holidays.cache_clear()
    workdays._weekday_holidays.cache_clear()
    monkeypatch.setattr(workdays.holidays, "country_holidays", counting)
    try:
        working_days_elapsed(date(2030, 1, 1), date(2030, 12, 31))
        for day in days_of(2030):
            is_working_day(day)
            holiday_name(day)
        assert len(calls) == 1
    finally:
        workdays._holidays.cache_clear()
        workdays._weekday_holidays.cache_clear()
