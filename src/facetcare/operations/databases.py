"""Reaching a database outside Django's own connection: for backing up, restoring
into a database Django is not configured for, and checking what one holds.

A database is named by a ``DATABASES`` entry (``ENGINE``, ``NAME``, ``HOST``, ...),
so a restore can target a fresh database that no running process uses yet.
"""

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from typing import Any, Literal

import psycopg

type Vendor = Literal["sqlite", "postgresql"]
type DatabaseEntry = Mapping[str, Any]


class UnsupportedDatabase(ValueError):
    """A database engine that FacetCare cannot back up or restore."""


def vendor_of(entry: DatabaseEntry) -> Vendor:
    engine = entry["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    if engine == "django.db.backends.postgresql":
        return "postgresql"
    raise UnsupportedDatabase(f"Backups support SQLite and PostgreSQL, not {engine}")


def postgres_environment(entry: DatabaseEntry) -> dict[str, str]:
    """The libpq variables that point pg_dump and pg_restore at ``entry``'s database.

    Through the environment, so a password never shows in a process list.
    """
    values = {
        "PGDATABASE": entry.get("NAME"),
        "PGHOST": entry.get("HOST"),
        "PGPORT": entry.get("PORT"),
        "PGUSER": entry.get("USER"),
        "PGPASSWORD": entry.get("PASSWORD"),
    }
    return {name: str(value) for name, value in values.items() if value}


def _postgres_connection(entry: DatabaseEntry) -> psycopg.Connection[Any]:
    environment = postgres_environment(entry)
    return psycopg.connect(
        dbname=environment.get("PGDATABASE", ""),
        host=environment.get("PGHOST"),
        port=environment.get("PGPORT"),
        user=environment.get("PGUSER"),
        password=environment.get("PGPASSWORD"),
        # Rows are compared as text, so the text must not depend on the server's
        # defaults: times in UTC, dates in ISO order.
        options="-c TimeZone=UTC -c DateStyle=ISO,YMD",
    )


@contextmanager
def raw_connection(entry: DatabaseEntry) -> Iterator[Any]:
    """A DB-API connection of its own to ``entry``'s database, closed afterwards."""
    if vendor_of(entry) == "sqlite":
        name = str(entry["NAME"])
        with closing(sqlite3.connect(name, uri=name.startswith("file:"))) as connection:
            yield connection
    else:
        with _postgres_connection(entry) as connection:
            yield connection
