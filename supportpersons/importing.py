"""Import of support persons and clients from CSV or Excel (.xlsx).

Two steps: `read_rows` and `validate` give a preview with every row's errors; `save`
validates again and saves all rows in one transaction, or nothing. The files are read
with the csv module and openpyxl (what tablib uses underneath) row by row, so the row cap
stops a huge file early instead of loading all of it first.

Headers are Swedish, as the office's spreadsheets are (documented on the import page and
in the template files): see SUPPORT_PERSON_COLUMNS and CLIENT_COLUMNS.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client, Gender, Language, Locality, Person, Programme, Unit
from clients.personnummer import normalise_personnummer
from stodperson.text import fold

from .models import StatusChange, SupportPerson

MAX_ROWS = 5000
# Bounds on what a file may make a worker do, checked before any value is read: the
# templates have a dozen columns, and no cell of a register needs pages of text. An .xlsx is
# a zip, so its unpacked size is bounded too (a small file can unpack to gigabytes), by the
# sizes the zip declares; the zip module never unpacks more than it declares.
MAX_COLUMNS = 50
MAX_CELL_CHARS = 2000
MAX_XLSX_PART_BYTES = 16 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_XLSX_PARTS = 200
SUPPORT_PERSONS = "support_persons"
CLIENTS = "clients"


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    description: Any  # lazy text, for the import page


SUPPORT_PERSON_COLUMNS = [
    Column("förnamn", True, gettext_lazy("First name.")),
    Column("efternamn", True, gettext_lazy("Last name.")),
    Column("kön", True, gettext_lazy("kvinna, man or annat.")),
    Column("ort", True, gettext_lazy("A locality in the register, e.g. Umeå.")),
    Column("födelseår", False, gettext_lazy("Four digits, e.g. 1975.")),
    Column("språk", False, gettext_lazy("Languages in the register, separated by commas.")),
    Column("kapacitet", False, gettext_lazy("How many clients; 3 if empty.")),
    Column("status", False, gettext_lazy("sökande (the default) or aktiv.")),
    Column("rekryterad", False, gettext_lazy("Date (YYYY-MM-DD) the person became active.")),
    Column("enhet", False, gettext_lazy("A unit of the programme (personal assistance).")),
    Column("telefon", False, gettext_lazy("Phone.")),
    Column("e-post", False, gettext_lazy("Email.")),
]
CLIENT_COLUMNS = [
    Column("förnamn", True, gettext_lazy("First name.")),
    Column("efternamn", True, gettext_lazy("Last name.")),
    Column("enhet", True, gettext_lazy("A unit in the register.")),
    Column("personnummer", False, gettext_lazy("YYYYMMDD-NNNN; coordination numbers too.")),
    Column("lagrum", False, gettext_lazy("LPT, LRV or SmL, where it applies.")),
    Column("startdatum", False, gettext_lazy("Client since (YYYY-MM-DD); today if empty.")),
    Column("önskat kön", False, gettext_lazy("kvinna, man or annat.")),
    Column("önskat språk", False, gettext_lazy("A language in the register.")),
]
COLUMNS = {SUPPORT_PERSONS: SUPPORT_PERSON_COLUMNS, CLIENTS: CLIENT_COLUMNS}

GENDERS = {
    "kvinna": Gender.WOMAN,
    "k": Gender.WOMAN,
    "man": Gender.MAN,
    "m": Gender.MAN,
    "annat": Gender.OTHER,
    "annat eller okänt": Gender.OTHER,
    "okänt": Gender.OTHER,
}
STATUSES = {"sökande": SupportPerson.Status.APPLICANT, "aktiv": SupportPerson.Status.ACTIVE}
LEGAL_BASES = {"lpt": "lpt", "lrv": "lrv", "sml": "sml"}


class ImportFileError(Exception):
    """The file cannot be read at all; the message is for the user."""


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    message: str


@dataclass
class Checked:
    """The outcome of validation: the rows as objects to save, and every error."""

    headers: list[str]
    raw: list[dict[str, str]]
    objects: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors and bool(self.raw)


# --- Reading ------------------------------------------------------------------------------


def _header(value: str) -> str:
    return " ".join(value.strip().lstrip("\ufeff").casefold().replace("*", "").split())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(name: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The headers and the non-empty rows as dicts of text. Raises ImportFileError."""
    table = _xlsx_rows(content) if name.lower().endswith(".xlsx") else _csv_rows(content)
    try:
        first = next(table)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    headers = [_header(_cell(h)) for h in first]
    _check_width(first)
    rows: list[dict[str, str]] = []
    for number, values in enumerate(table, start=2):
        if number > 2 * MAX_ROWS:  # empty rows too: a sheet can declare a million of them
            raise _too_many_rows()
        _check_width(values)
        cells = [_cell(v) for v in values]
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise ImportFileError(
                _("Row %(row)s has a cell of more than %(max)s characters.")
                % {"row": number, "max": MAX_CELL_CHARS}
            )
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h})
    if not rows:
        raise ImportFileError(_("The file has no rows under the headers."))
    return headers, rows


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s rows: split it into smaller files.") % {"max": MAX_ROWS}
    )


def _too_wide() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s columns: remove the columns that are not imported.")
        % {"max": MAX_COLUMNS}
    )


def _check_width(values: Any) -> None:
    # Trailing empty cells (a sheet's formatting reaches further than its text) do not count.
    width = len(values)
    while width and values[width - 1] in (None, ""):
        width -= 1
    if width > MAX_COLUMNS:
        raise _too_wide()


def _csv_rows(content: bytes) -> Any:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not in UTF-8. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)

    def rows() -> Any:
        try:
            yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        except csv.Error:
            raise ImportFileError(_("The file is not a CSV file.")) from None

    return rows()


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(_("The file is not an Excel workbook (.xlsx)."))


def _check_unpacked_size(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise _not_a_workbook() from None
    if (
        len(parts) > MAX_XLSX_PARTS
        or any(part.file_size > MAX_XLSX_PART_BYTES for part in parts)
        or sum(part.file_size for part in parts) > MAX_XLSX_UNPACKED_BYTES
    ):
        raise ImportFileError(
            _("The workbook is too large when unpacked (at most %(max)s MB): import a smaller one.")
            % {"max": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _xlsx_rows(content: bytes) -> Any:
    import openpyxl

    _check_unpacked_size(content)
    try:
        # Read-only: rows are parsed one at a time as they are asked for.
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:
        # openpyxl raises many kinds of errors for a file that is not a workbook (a bad
        # zip, missing parts, bad XML); to the user they all mean the same.
        raise _not_a_workbook() from None
    # The sheet's declared size, read before any row: read-only mode pads every row to it.
    width, height = sheet.max_column or 0, sheet.max_row or 0
    if width > MAX_COLUMNS:
        book.close()
        raise _too_wide()
    if width * height > MAX_COLUMNS * (MAX_ROWS + 1):
        book.close()
        raise _too_many_rows()

    def rows() -> Any:
        try:
            yield from sheet.iter_rows(values_only=True)
        except Exception:
            raise ImportFileError(_("The file is not an Excel workbook (.xlsx).")) from None
        finally:
            book.close()

    return rows()


# --- Validation -----------------------------------------------------------------------------


def _date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
        ) from None
    if day > timezone.localdate():
        raise ValidationError(_("The date %(value)s is in the future.") % {"value": value})
    return day


def _int(value: str, low: int, high: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ValidationError(
            _("%(what)s must be a whole number between %(low)s and %(high)s, not “%(value)s”.")
            % {"what": what, "low": low, "high": high, "value": value}
        )
    return number


def _gender(value: str, column: str) -> str:
    gender = GENDERS.get(value.casefold())
    if gender is None:
        raise ValidationError(
            _("Unknown value “%(value)s” in %(column)s: write kvinna, man or annat.")
            % {"value": value, "column": column}
        )
    return gender


def _lookup(table: dict[str, Any], value: str, message: str) -> Any:
    found = table.get(fold(value))
    if found is None:
        raise ValidationError(message % {"value": value})
    return found


class _Context:
    """What validation looks up, read once for the whole file."""

    def __init__(self, kind: str, programme: Programme | None, user: User) -> None:
        self.localities = {fold(loc.name): loc for loc in Locality.objects.all()}
        self.languages = {fold(lang.name): lang for lang in Language.objects.all()}
        units = Unit.objects.visible_to(user).select_related("programme")
        if kind == SUPPORT_PERSONS and programme is not None:
            units = units.filter(programme=programme)
        self.units: dict[str, Unit | None] = {}
        for unit in units:
            key = fold(unit.name)
            # The same name in two programmes: ambiguous, so refused (None).
            self.units[key] = None if key in self.units else unit
        self.existing: set[tuple[Any, ...]] = set()
        if kind == SUPPORT_PERSONS:
            self.existing = {
                (name, year)
                for name, year in SupportPerson.objects.filter(programme=programme).values_list(
                    "search_name", "birth_year"
                )
            }
        else:
            for pnr, name, unit_id in Client.objects.values_list(
                "personnummer", "search_name", "unit_id"
            ):
                self.existing.add(("name", name, unit_id))
                if pnr:
                    try:
                        self.existing.add(("pnr", normalise_personnummer(pnr)))
                    except ValidationError:
                        self.existing.add(("pnr", pnr))

    def unit(self, value: str) -> Unit:
        key = fold(value)
        if key not in self.units:
            raise ValidationError(_("Unknown unit “%(value)s”.") % {"value": value})
        unit = self.units[key]
        if unit is None:
            raise ValidationError(
                _("The unit name “%(value)s” is in more than one programme.") % {"value": value}
            )
        return unit


def validate(
    kind: str,
    headers: list[str],
    raw: list[dict[str, str]],
    *,
    programme: Programme | None,
    user: User,
) -> Checked:
    checked = Checked(headers=headers, raw=raw)
    columns = COLUMNS[kind]
    known = {c.header for c in columns}
    missing = [c.header for c in columns if c.required and c.header not in headers]
    if missing:
        checked.file_errors.append(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return checked
    checked.ignored_headers = [h for h in headers if h and h not in known]
    context = _Context(kind, programme, user)
    seen: dict[tuple[Any, ...], int] = {}
    row_check: Callable[..., tuple[dict[str, Any], list[tuple[Any, ...]]]] = (
        _support_person_row if kind == SUPPORT_PERSONS else _client_row
    )
    for number, row in enumerate(raw, start=2):
        errors: list[str] = []
        values, keys = row_check(row, context, errors, programme)
        for key in keys:
            if key in seen:
                errors.append(_("The same person as on row %(row)s.") % {"row": seen[key]})
            elif key in context.existing:
                errors.append(_("Already in the register."))
            seen.setdefault(key, number)
        if errors:
            checked.errors.extend(RowError(number, message) for message in dict.fromkeys(errors))
        else:
            checked.objects.append(values)
    return checked


def _run(errors: list[str], check: Callable[[], Any]) -> Any:
    try:
        return check()
    except ValidationError as error:
        errors.extend(error.messages)
        return None


def _required(row: dict[str, str], column: str, errors: list[str], limit: int = 100) -> str:
    value = row.get(column, "")
    if not value:
        errors.append(_("%(column)s is missing.") % {"column": column})
    elif len(value) > limit:
        errors.append(
            _("%(column)s is longer than %(limit)s characters.")
            % {"column": column, "limit": limit}
        )
    return value


def _support_person_row(
    row: dict[str, str], context: _Context, errors: list[str], programme: Programme | None
) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    first = _required(row, "förnamn", errors)
    last = _required(row, "efternamn", errors)
    gender = row.get("kön", "")
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "gender": _run(errors, lambda: _gender(gender, "kön")) if gender else None,
        "locality": None,
        "languages": [],
        "birth_year": None,
        "capacity": 3,
        "status": SupportPerson.Status.APPLICANT,
        "recruited_on": None,
        "unit": None,
        "phone": row.get("telefon", "")[:30],
        "email": row.get("e-post", ""),
    }
    if not gender:
        errors.append(_("%(column)s is missing.") % {"column": "kön"})
    place = _required(row, "ort", errors)
    if place:
        values["locality"] = _run(
            errors,
            lambda: _lookup(context.localities, place, _("Unknown locality “%(value)s”.")),
        )
    if row.get("födelseår"):
        year_now = timezone.localdate().year
        values["birth_year"] = _run(
            errors, lambda: _int(row["födelseår"], 1900, year_now, "födelseår")
        )
    if row.get("kapacitet"):
        values["capacity"] = _run(errors, lambda: _int(row["kapacitet"], 0, 20, "kapacitet"))
    for name in filter(
        None, (n.strip() for n in row.get("språk", "").replace(";", ",").split(","))
    ):
        message = _("Unknown language “%(value)s”.")
        values["languages"].append(_run(errors, partial(_lookup, context.languages, name, message)))
    status = row.get("status", "").casefold()
    if status:
        if status not in STATUSES:
            errors.append(
                _("Unknown status “%(value)s”: write sökande or aktiv.") % {"value": row["status"]}
            )
        else:
            values["status"] = STATUSES[status]
    if row.get("rekryterad"):
        values["recruited_on"] = _run(errors, lambda: _date(row["rekryterad"]))
        if values["status"] != SupportPerson.Status.ACTIVE:
            errors.append(_("Only an active person has a date recruited (rekryterad)."))
    elif values["status"] == SupportPerson.Status.ACTIVE:
        errors.append(_("An active person needs the date they were recruited (rekryterad)."))
    if row.get("enhet"):
        values["unit"] = _run(errors, lambda: context.unit(row["enhet"]))
    if values["email"]:
        _run(errors, lambda: validate_email(values["email"]))
    keys = [(Person.folded_name(first, last), values["birth_year"])] if first and last else []
    return values, keys


def _client_row(
    row: dict[str, str], context: _Context, errors: list[str], programme: Programme | None
) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    first = _required(row, "förnamn", errors)
    last = _required(row, "efternamn", errors)
    unit_name = _required(row, "enhet", errors, limit=200)
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "unit": _run(errors, lambda: context.unit(unit_name)) if unit_name else None,
        "personnummer": "",
        "legal_basis": "",
        "started_on": timezone.localdate(),
        "wished_gender": "",
        "wished_language": None,
    }
    if row.get("personnummer"):
        values["personnummer"] = (
            _run(errors, lambda: normalise_personnummer(row["personnummer"])) or ""
        )
    if row.get("lagrum"):
        basis = LEGAL_BASES.get(row["lagrum"].casefold())
        if basis is None:
            errors.append(
                _("Unknown legal basis “%(value)s”: write LPT, LRV or SmL.")
                % {"value": row["lagrum"]}
            )
        values["legal_basis"] = basis or ""
    if row.get("startdatum"):
        values["started_on"] = _run(errors, lambda: _date(row["startdatum"]))
    if row.get("önskat kön"):
        values["wished_gender"] = _run(errors, lambda: _gender(row["önskat kön"], "önskat kön"))
    if row.get("önskat språk"):
        values["wished_language"] = _run(
            errors,
            lambda: _lookup(
                context.languages, row["önskat språk"], _("Unknown language “%(value)s”.")
            ),
        )
    keys: list[tuple[Any, ...]] = []
    if values["personnummer"]:
        keys.append(("pnr", values["personnummer"]))
    elif first and last and values["unit"] is not None:
        keys.append(("name", Person.folded_name(first, last), values["unit"].pk))
    return values, keys


# --- Saving -------------------------------------------------------------------------------


@transaction.atomic
def save(
    kind: str,
    headers: list[str],
    raw: list[dict[str, str]],
    *,
    programme: Programme | None,
    by: User,
) -> Checked:
    """Validate again (the register may have changed since the preview) and save every
    row, or none."""
    checked = validate(kind, headers, raw, programme=programme, user=by)
    if not checked.ok:
        return checked
    today = timezone.localdate()
    for values in checked.objects:
        if kind == SUPPORT_PERSONS:
            _save_support_person(values, programme, by, today)
        else:
            Client.objects.create(**values)
    return checked


def _save_support_person(
    values: dict[str, Any], programme: Programme | None, by: User, today: date
) -> None:
    languages = values.pop("languages")
    assert programme is not None  # the import form requires it for support persons
    person = SupportPerson.objects.create(programme=programme, **values)
    person.languages.set(languages)
    reason = _("Imported")
    if person.status == SupportPerson.Status.ACTIVE:
        StatusChange.objects.create(
            support_person=person,
            status=SupportPerson.Status.ACTIVE,
            on=person.recruited_on or today,
            reason=reason,
            by=by,
        )
    else:
        StatusChange.objects.create(
            support_person=person, status=person.status, on=today, reason=reason, by=by
        )


def template_rows(kind: str) -> list[str]:
    return [c.header for c in COLUMNS[kind]]
