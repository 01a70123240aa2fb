"""Tertials: T1 January-April, T2 May-August, T3 September-December."""

from datetime import date

import pytest

from stodperson.tertials import Tertial


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 1, 1), Tertial(2022, 1)),
        (date(2022, 4, 30), Tertial(2022, 1)),
        (date(2022, 5, 1), Tertial(2022, 2)),
        (date(2022, 8, 31), Tertial(2022, 2)),
        (date(2022, 9, 1), Tertial(2022, 3)),
        (date(2022, 12, 31), Tertial(2022, 3)),
        (date(2024, 2, 29), Tertial(2024, 1)),
    ],
)
def test_a_day_belongs_to_its_tertial(day: date, expected: Tertial) -> None:
    assert Tertial.of(day) == expected
    assert expected.contains(day)


@pytest.mark.parametrize(
    ("tertial", "first_day", "last_day"),
    [
        (Tertial(2022, 1), date(2022, 1, 1), date(2022, 4, 30)),
        (Tertial(2022, 2), date(2022, 5, 1), date(2022, 8, 31)),
        (Tertial(2022, 3), date(2022, 9, 1), date(2022, 12, 31)),
        # A leap year changes February, not the end of T1.
        (Tertial(2024, 1), date(2024, 1, 1), date(2024, 4, 30)),
    ],
)
def test_a_tertial_runs_from_its_first_to_its_last_day(
    tertial: Tertial, first_day: date, last_day: date
) -> None:
    assert tertial.first_day == first_day
    assert tertial.last_day == last_day


@pytest.mark.parametrize(
    ("tertial", "outside"),
    [
        (Tertial(2022, 1), date(2021, 12, 31)),
        (Tertial(2022, 1), date(2022, 5, 1)),
        (Tertial(2022, 2), date(2022, 4, 30)),
        (Tertial(2022, 2), date(2022, 9, 1)),
        (Tertial(2022, 3), date(2022, 8, 31)),
        (Tertial(2022, 3), date(2023, 1, 1)),
    ],
)
def test_a_tertial_does_not_contain_the_days_either_side(tertial: Tertial, outside: date) -> None:
    assert not tertial.contains(outside)


def test_the_months_of_a_tertial() -> None:
    assert Tertial(2022, 1).months == [(2022, 1), (2022, 2), (2022, 3), (2022, 4)]
    assert Tertial(2022, 2).months == [(2022, 5), (2022, 6), (2022, 7), (2022, 8)]
    assert Tertial(2022, 3).months == [(2022, 9), (2022, 10), (2022, 11), (2022, 12)]


def test_the_tertials_of_a_year_cover_every_day_once() -> None:
    tertials = [Tertial(2024, n) for n in (1, 2, 3)]
    days = sum((t.last_day - t.first_day).days + 1 for t in tertials)
    assert days == 366
    assert tertials[0].last_day.toordinal() + 1 == tertials[1].first_day.toordinal()
    assert tertials[1].last_day.toordinal() + 1 == tertials[2].first_day.toordinal()


def test_the_previous_of_t1_is_t3_of_the_year_before() -> None:
    assert Tertial(2023, 1).previous() == Tertial(2022, 3)
    assert Tertial(2023, 3).previous() == Tertial(2023, 2)
    assert Tertial(2023, 2).previous() == Tertial(2023, 1)


def test_the_next_of_t3_is_t1_of_the_year_after() -> None:
    assert Tertial(2022, 3).next() == Tertial(2023, 1)
    assert Tertial(2022, 1).next() == Tertial(2022, 2)
    assert Tertial(2022, 2).next() == Tertial(2022, 3)


def test_next_and_previous_undo_each_other() -> None:
    for number in (1, 2, 3):
        tertial = Tertial(2025, number)
        assert tertial.next().previous() == tertial
        assert tertial.previous().next() == tertial


def test_same_last_year_keeps_the_number() -> None:
    assert Tertial(2022, 3).same_last_year() == Tertial(2021, 3)
    assert Tertial(2024, 1).same_last_year() == Tertial(2023, 1)


def test_label_slug_and_str() -> None:
    tertial = Tertial(2022, 3)
    assert tertial.label == "T3 2022"
    assert str(tertial) == "T3 2022"
    assert tertial.slug == "2022-T3"


def test_tertials_sort_by_year_then_number() -> None:
    shuffled = [Tertial(2023, 1), Tertial(2022, 3), Tertial(2022, 1), Tertial(2022, 2)]
    assert sorted(shuffled) == [
        Tertial(2022, 1),
        Tertial(2022, 2),
        Tertial(2022, 3),
        Tertial(2023, 1),
    ]
    assert Tertial(2022, 3) < Tertial(2023, 1)


def test_a_tertial_is_a_hashable_value() -> None:
    assert {Tertial(2022, 3), Tertial(2022, 3)} == {Tertial(2022, 3)}
    with pytest.raises(AttributeError):
        Tertial(2022, 3).number = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-T3", Tertial(2022, 3)),
        ("T3 2022", Tertial(2022, 3)),
        ("2024-T1", Tertial(2024, 1)),
        ("T2 2025", Tertial(2025, 2)),
        ("t1 2023", Tertial(2023, 1)),
        ("2023-t2", Tertial(2023, 2)),
        ("  T3 2022 ", Tertial(2022, 3)),
    ],
)
def test_parse_reads_the_slug_and_the_label(text: str, expected: Tertial) -> None:
    assert Tertial.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "T4 2022", "2022-T0", "2022", "T3", "3 2022", "2022 T3", "T3-2022", "22-T3", "T3 2022x"],
)
def test_parse_refuses_anything_else_in_swedish(text: str) -> None:
    with pytest.raises(ValueError, match="Ogiltig tertial"):
        Tertial.parse(text)


def test_slug_and_label_parse_back_to_the_same_tertial() -> None:
    tertial = Tertial(2026, 2)
    assert Tertial.parse(tertial.slug) == tertial
    assert Tertial.parse(tertial.label) == tertial


@pytest.mark.parametrize("number", [0, 4, -1])
def test_a_tertial_number_outside_one_to_three_is_refused(number: int) -> None:
    with pytest.raises(ValueError, match="Ogiltigt tertialnummer"):
        Tertial(2022, number)
