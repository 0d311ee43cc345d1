"""Plain SQL for the booking write path: statements run in order, and model
instances built from the columns a statement selected.

Every booking runs the same handful of reads. Through the ORM each costs more
CPU to compile than the database spends answering it (measured: about a quarter
of a millisecond a query, most of a booking's server time), so the write path
states those few reads in SQL once.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, models

Statement = tuple[str, Sequence[Any]]


def fetch_each(statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """The rows of each statement, run in order on one cursor of the default connection.

    Each is its own statement, so on PostgreSQL each reads with a snapshot taken
    when it starts: a statement after a lock sees what the lock's previous holder
    committed. They are not sent together: the connection binds parameters on
    the server so that repeated statements are prepared once (see settings),
    and a prepared statement holds exactly one command. An error stops the rest.
    """
    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall() if cursor.description else [])
    return results


def instance_from_row[M: models.Model](
    model: type[M], field_names: Sequence[str], values: Sequence[Any]
) -> M:
    """A ``model`` instance as the ORM would load it with only ``field_names`` selected
    (the others deferred, read on first access).

    Values are turned into Python values by each field's own ``to_python``; JSON
    columns must be selected as text (``CAST(column AS TEXT)``), as SQLite and
    PostgreSQL then agree. Date-time columns are not supported: SQLite hands
    them back as naive text.
    """
    given = dict(zip(field_names, values, strict=True))
    names, converted = [], []
    # from_db takes the selected values in the model's field order.
    for field in model._meta.concrete_fields:
        if field.attname not in given:
            continue
        value = given[field.attname]
        if isinstance(field, models.DateTimeField):
            raise TypeError(f"{model.__name__}.{field.name}: date-time columns are not supported")
        if isinstance(field, models.JSONField):
            converted.append(None if value is None else json.loads(value))
        else:
            converted.append(field.to_python(value))
        names.append(field.attname)
    if len(names) != len(given):
        unknown = sorted(set(given) - set(names))
        raise ValueError(f"{model.__name__} has no columns {unknown}")
    return model.from_db(DEFAULT_DB_ALIAS, names, converted)


def columns(alias: str, field_names: Sequence[str], model: type[models.Model]) -> str:
    """``alias.column, ...`` for the fields, JSON ones cast to text."""
    quote = connection.ops.quote_name
    parts = []
    for name in field_names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or field.column is None:
            raise ValueError(f"{model.__name__}.{name} is not a column")
        column = f"{alias}.{quote(field.column)}"
        parts.append(f"CAST({column} AS TEXT)" if isinstance(field, models.JSONField) else column)
    return ", ".join(parts)
