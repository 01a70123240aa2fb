"""Writing many rows fast, and emptying the data tables (the large sizes of seed_demo).

Every row is built in Python with its primary key already chosen (the tables are empty, or
flushed with --reset), then written in one statement per table: COPY on PostgreSQL
(psycopg's `cursor.copy()`), executemany on SQLite; the sequences are moved past the keys
afterwards (`reset_sequences`).
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from assignments.models import Assignment, SupportRequest
from clients.models import Client, Locality, Unit
from supportpersons.models import SupportPerson


def _adapter(field_: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """What the database driver needs for one column's Python value."""
    ops = connection.ops
    if isinstance(field_, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field_, models.DateField):
        return ops.adapt_datefield_value
    return lambda value: value.value if isinstance(value, enum.Enum) else value


def write_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert rows (values in the order of `attnames`, primary key included) in one
    statement: COPY on PostgreSQL, executemany on SQLite. Returns the number of rows."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    adapters = [_adapter(f) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # The first row before the statement: a generator that reads the database (the next
    # primary key) must do so before COPY holds the connection.
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    count = 0

    def adapted() -> Iterator[tuple]:
        nonlocal count
        for row in itertools.chain([first], iterator):
            count += 1
            yield tuple(
                adapt(value) if value is not None else None
                for adapt, value in zip(adapters, row, strict=True)
            )

    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in adapted():
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in fields)
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", adapted())
    return count


def write_objects(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """Model instances whose primary keys are set, every concrete field as it stands (an
    auto_now_add field that is still empty gets the current time, as save() would)."""
    now = timezone.now()
    concrete = model._meta.concrete_fields
    stamped = [
        f.attname
        for f in concrete
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    for obj in objects:
        for name in stamped:
            if getattr(obj, name) is None:
                setattr(obj, name, now)
    attnames = [f.attname for f in concrete]
    return write_rows(
        model, attnames, (tuple(getattr(o, name) for name in attnames) for o in objects)
    )


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# --- Flushing and refusing ---------------------------------------------------------------

# The data the scale set writes; the programmes and duty templates of the data migration
# stay, and so do users (the read log points at them and is append-only) and the audit app.
DATA_APPS = ("clients", "supportpersons", "assignments", "duties", "flags", "reports")
KEPT_MODELS = {("clients", "programme"), ("duties", "dutytemplate")}


def data_models() -> list[type[models.Model]]:
    result = []
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if (model._meta.app_label, model._meta.model_name) not in KEPT_MODELS:
                result.append(model)
    return result


def holds_data() -> bool:
    return any(
        model.objects.exists()
        for model in (Unit, Client, SupportPerson, Assignment, SupportRequest, Locality)
    )


def flush() -> None:
    """Empty the data tables (TRUNCATE on PostgreSQL), keeping the programmes, their duty
    templates, the users and the audit log."""
    tables = [m._meta.db_table for m in data_models()]
    quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks still deferred in this transaction (a test's) would block TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            # Foreign keys are checked at commit on SQLite: the order does not matter.
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            marks = ", ".join("%s" for _ in tables)
            cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", tables)
