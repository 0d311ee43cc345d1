"""Plain SQL for the booking write path: statements run in order, inserts built once per
model (optionally guarded by a condition), and model instances built from the
columns a statement selected.

Every booking runs the same handful of reads. Through the ORM each costs more
CPU to compile than the database spends answering it (measured: about a quarter
of a millisecond a query, most of a booking's server time), so the write path
states those few reads in SQL once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, models

Statement = tuple[str, Sequence[Any]]


def fetch_each(statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """The rows of each statement (each a query), run in order on one cursor of the
    default connection.

    Each is its own statement, so on PostgreSQL each reads with a snapshot taken
    when it starts: a statement after a lock sees what the lock's previous holder
    committed. They are not sent together: the connection binds parameters on
    the server so that repeated statements are prepared once (see settings),
    and a prepared statement holds exactly one command. (psycopg's pipeline mode
    would send them together, but on this write path its bookkeeping cost more
    CPU than the round trip it saved.) An error stops the rest.
    """
    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
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
    names, plan = _loading_plan(model, tuple(field_names))
    return model.from_db(DEFAULT_DB_ALIAS, names, [convert(values[i]) for i, convert in plan])


@functools.cache
def _loading_plan(
    model: type[models.Model], field_names: tuple[str, ...]
) -> tuple[list[str], list[tuple[int, Callable[[Any], Any]]]]:
    """The attribute names in the model's field order (as from_db takes them), and
    for each the position of its value in a row and the function that converts it."""
    position = {name: index for index, name in enumerate(field_names)}
    names: list[str] = []
    plan: list[tuple[int, Callable[[Any], Any]]] = []
    for field in model._meta.concrete_fields:
        if field.attname not in position:
            continue
        if isinstance(field, models.DateTimeField):
            raise TypeError(f"{model.__name__}.{field.name}: date-time columns are not supported")
        convert: Callable[[Any], Any] = (
            _json if isinstance(field, models.JSONField) else field.to_python
        )
        names.append(field.attname)
        plan.append((position[field.attname], convert))
    if len(names) != len(position):
        unknown = sorted(set(position) - set(names))
        raise ValueError(f"{model.__name__} has no columns {unknown}")
    return names, plan


def _json(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def columns(alias: str, field_names: Sequence[str], model: type[models.Model]) -> str:
    """``alias.column, ...`` for the fields, JSON ones cast to text."""
    quote = connection.ops.quote_name
    parts = []
    for name in field_names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise ValueError(f"{model.__name__}.{name} is not a column")
        column = f"{alias}.{quote(_column(field))}"
        parts.append(f"CAST({column} AS TEXT)" if isinstance(field, models.JSONField) else column)
    return ", ".join(parts)


def insert(instance: models.Model, *, only_if: Statement | None = None) -> bool:
    """Save a new ``instance`` as ``Model.save`` does for a plain model (field
    defaults, ``pre_save`` such as ``auto_now_add``, values prepared by each field,
    ``pre_save`` and ``post_save`` signals), with an INSERT built once per model.

    ``only_if`` is an SQL condition with its parameters: the row is inserted only
    if it holds when the INSERT runs. Returns whether the row was inserted
    (``post_save`` is sent only then).

    Only for models without parents and with an automatic primary key; the
    instance gets its id from the INSERT's RETURNING.
    """
    model = type(instance)
    fields, values_sql, (select_sql, returning) = _insert_plan(model, connection.vendor)
    models.signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None
    )
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    if only_if is None:
        statement: Statement = (values_sql, values)
    else:
        condition, condition_params = only_if
        sql = f"{select_sql} WHERE {condition} {returning}"
        statement = (sql, [*values, *condition_params])
    (rows,) = fetch_each([statement])
    if not rows:
        return False
    ((pk,),) = rows
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    models.signals.post_save.send(
        sender=model,
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=DEFAULT_DB_ALIAS,
    )
    return True


@functools.cache
def _insert_plan(
    model: type[models.Model], vendor: str
) -> tuple[list[models.Field[Any, Any]], str, tuple[str, str]]:
    """The fields given values, and the INSERT's text two ways: with VALUES, and with
    a SELECT of the same values, to which a WHERE and the RETURNING clause are added."""
    meta = model._meta
    if meta.parents or not isinstance(meta.pk, models.AutoField):
        raise TypeError(f"{model.__name__}: only plain models with an automatic id")
    fields = [f for f in meta.local_concrete_fields if f is not meta.pk and not f.generated]
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(f)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # In a SELECT, PostgreSQL cannot take a parameter's type from the column it
    # fills, so each is cast to it; SQLite's columns take what they are given
    # (and a cast there would turn a date-time's text into a number).
    if vendor == "postgresql":
        selected = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in fields)
    else:
        selected = placeholders
    table, returning = quote(meta.db_table), f"RETURNING {quote(_column(meta.pk))}"
    # Only quoted names, column types and placeholders are put into the text.
    values_sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {returning}"  # noqa: S608
    select_sql = f"INSERT INTO {table} ({names}) SELECT {selected}"
    return fields, values_sql, (select_sql, returning)


def _column(field: models.Field[Any, Any]) -> str:
    if field.column is None:
        raise ValueError(f"{field} has no column")
    return field.column
