import pytest
from django.core.exceptions import ValidationError

from clients.personnummer import (
    is_coordination_number,
    mask_personnummer,
    normalise_personnummer,
    validate_personnummer,
)


def luhn_digit(nine_digits: str) -> str:
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def with_check_digit(date_part: str, serial: str) -> str:
    """A 12-digit number YYYYMMDD-NNN plus its Luhn check digit."""
    return f"{date_part}-{serial}{luhn_digit(date_part[2:] + serial)}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("19900101-0017", "19900101-0017"),
        ("900101-0017", "19900101-0017"),
        ("9001010017", "19900101-0017"),
        ("199001010017", "19900101-0017"),
        (" 19900101 - 0017 ", "19900101-0017"),
        # The '+' of the 10-digit form marks a person of 100 or more.
        ("121212+1212", "19121212-1212"),
    ],
)
def test_it_normalises_valid_numbers_to_twelve_digits(given, expected):
    assert normalise_personnummer(given) == expected


def test_it_accepts_a_coordination_number():
    number = with_check_digit("19900161", "123")  # day 01 + 60
    assert normalise_personnummer(number) == number
    assert is_coordination_number(number)
    assert not is_coordination_number("19900101-0017")


def test_it_accepts_a_leap_day_and_rejects_the_twenty_ninth_of_february_in_other_years():
    assert normalise_personnummer(with_check_digit("20000229", "123"))
    with pytest.raises(ValidationError):
        normalise_personnummer(with_check_digit("20010229", "123"))


@pytest.mark.parametrize(
    "bad",
    ["19900101-0018", "19901301-0011", "abc", "1990-01-01", "19900101-00171", "<script>"],
)
def test_it_rejects_invalid_numbers_with_a_swedish_message(bad):
    with pytest.raises(ValidationError) as caught:
        validate_personnummer(bad)
    assert "inte ett giltigt personnummer" in str(caught.value.messages[0])


def test_an_empty_number_is_allowed_because_the_field_is_optional():
    validate_personnummer("")


def test_masking_keeps_the_birth_date_and_hides_the_last_four_digits():
    assert mask_personnummer("19900101-0017") == "19900101-****"
    assert mask_personnummer("") == ""
