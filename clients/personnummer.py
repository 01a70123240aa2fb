"""Swedish personal identity numbers (personnummer, Skatteverket SKV 704) and coordination
numbers (samordningsnummer: day of birth + 60), validated with the `personnummer` library."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer as pnr


def normalise_personnummer(value: str) -> str:
    """Return the number as YYYYMMDD-NNNN, or raise ValidationError with a Swedish message.

    Accepts the 10- and 12-digit forms, with or without a separator ('+' marks a person of
    100 years or more in the 10-digit form)."""
    text = "".join(value.split())
    try:
        parsed = pnr.Personnummer(text)
    except pnr.PersonnummerException:
        raise ValidationError(
            _("“%(value)s” is not a valid personal identity or coordination number."),
            code="invalid_personnummer",
            params={"value": value},
        ) from None
    digits = parsed.format(True)
    return f"{digits[:8]}-{digits[8:]}"


def validate_personnummer(value: str) -> None:
    if value:
        normalise_personnummer(value)


def mask_personnummer(value: str) -> str:
    """Birth date only, for lists and exports: the last four digits identify the person.
    Whatever form the number was stored in, nothing of the last four digits shows."""
    if not value:
        return ""
    try:
        value = normalise_personnummer(value)
    except ValidationError:
        return "****"
    return f"{value[:8]}-****"


def is_coordination_number(value: str) -> bool:
    return bool(value) and int(value[6:8]) > 60
