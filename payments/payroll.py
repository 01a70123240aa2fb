"""The payroll file of an attested run (issue #17): one row per volunteer and wage type.

Layout (README.md, "Lönefilen"), the same in the CSV and the XLSX:

    Personnummer;Namn;Löneart;Period;Belopp;Skattepliktig;Kostnadsställe
    19850412-1234;Erik Holm;1100;2026-11;1582,00;Ja;71200

CSV: UTF-8 with a byte-order mark (Excel reads å, ä, ö), semicolons, a decimal comma and no
thousands separator, every text cell defused against formulas. The personnummer appears in
this file and nowhere else; taking it is in the read log (the view's `log_export`).
"""

from __future__ import annotations

import io
from decimal import Decimal

import tablib
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from stodperson.errors import ServiceError
from stodperson.spreadsheets import CsvWriter, defused

from .models import Budget, PaymentLine, PaymentRun

COLUMNS = ["Personnummer", "Namn", "Löneart", "Period", "Belopp", "Skattepliktig", "Kostnadsställe"]


def _cost_centre(run: PaymentRun) -> str:
    budget = Budget.objects.filter(programme_id=run.programme_id, year=run.month.year).first()
    if budget is None:
        raise ServiceError(
            _("Enter the programme's budget for %(year)s with its cost centre before the export.")
            % {"year": run.month.year}
        )
    return budget.cost_centre


def payroll_rows(run: PaymentRun) -> list[list[str | Decimal]]:
    """The file's rows, in the order of the volunteers' names. Two queries."""
    cost_centre = _cost_centre(run)
    sums = (
        PaymentLine.objects.filter(run=run)
        .values(
            "support_person_id",
            "wage_type",
            "taxable",
            first_name=F("support_person__first_name"),
            last_name=F("support_person__last_name"),
            personnummer=F("support_person__payee__personnummer"),
        )
        .annotate(total=Sum("amount"))
        .order_by("support_person__search_name", "support_person_id", "wage_type")
    )
    missing = sorted(
        {f"{row['first_name']} {row['last_name']}" for row in sums if not row["personnummer"]}
    )
    if missing:
        raise ServiceError(
            _("Payroll needs the personal identity number of: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    period = run.month.strftime("%Y-%m")
    return [
        [
            row["personnummer"],
            f"{row['first_name']} {row['last_name']}",
            row["wage_type"],
            period,
            row["total"],
            "Ja" if row["taxable"] else "Nej",
            cost_centre,
        ]
        for row in sums
        if row["total"]
    ]


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def payroll_csv(rows: list[list[str | Decimal]]) -> bytes:
    out = io.StringIO()
    writer = CsvWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_money(cell) if isinstance(cell, Decimal) else cell for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def payroll_xlsx(rows: list[list[str | Decimal]]) -> bytes:
    book = tablib.Dataset(headers=COLUMNS, title="Lön")
    for row in rows:
        book.append(defused(float(cell) if isinstance(cell, Decimal) else cell for cell in row))
    data = book.export("xlsx")
    assert isinstance(data, bytes)
    return data
