"""What a database holds: its tables and their row counts, a digest of every
clinical table's rows, and the last migration applied per app.

A backup's manifest records this, and a restore compares the restored database
with it. Digests are computed from the rows as the database itself writes them
as text (SQLite's ``quote()``, PostgreSQL's row-to-text cast), ordered by
primary key, so they do not depend on the driver or on Python's types.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from facetcare.operations.databases import Vendor

# The record of care and who touched it: patients, bookings, the clinical
# pathway and the audit trail. Their rows are compared, not only counted.
CLINICAL_APPS = ("patients", "booking", "pathway", "audit")

# Filled by ``migrate`` itself, so a freshly migrated database has rows here and
# is still empty for a restore.
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


@dataclass(frozen=True)
class Inventory:
    row_counts: dict[str, int]
    digests: dict[str, str]
    migrations: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "row_counts": self.row_counts,
            "clinical_digests": self.digests,
            "migrations": self.migrations,
        }


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def list_tables(connection: Any, vendor: Vendor) -> list[str]:
    """Every ordinary table of the database (the public schema on PostgreSQL), sorted."""
    if vendor == "sqlite":
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    cursor = connection.cursor()
    cursor.execute(sql)
    return sorted(str(row[0]) for row in cursor.fetchall())


def count_rows(connection: Any, tables: Iterable[str]) -> dict[str, int]:
    cursor = connection.cursor()
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (quoted name)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def clinical_tables() -> dict[str, str]:
    """The clinical apps' tables (their many-to-many tables too), each with its key column."""
    tables: dict[str, str] = {}
    for label in CLINICAL_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables[model._meta.db_table] = str(model._meta.pk.column)
    return tables


def _row_text_sql(connection: Any, vendor: Vendor, table: str, key: str) -> str:
    if vendor == "postgresql":
        return f"SELECT t::text FROM {_quote(table)} t ORDER BY {_quote(key)}"  # noqa: S608
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA table_info({_quote(table)})")
    columns = " || '|' || ".join(f"quote({_quote(row[1])})" for row in cursor.fetchall())
    return f"SELECT {columns} FROM {_quote(table)} ORDER BY {_quote(key)}"  # noqa: S608


def table_digest(connection: Any, vendor: Vendor, table: str, key: str) -> str:
    """SHA-256 of the table's rows, as text, in primary-key order."""
    digest = hashlib.sha256()
    cursor = connection.cursor()
    cursor.execute(_row_text_sql(connection, vendor, table, key))
    while rows := cursor.fetchmany(1000):
        for (text,) in rows:
            digest.update(str(text).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def last_migrations(connection: Any, tables: Iterable[str]) -> dict[str, str]:
    """The migration applied last to each app, by the order they were applied."""
    if "django_migrations" not in tables:
        return {}
    cursor = connection.cursor()
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return {str(app): str(name) for app, name in cursor.fetchall()}


def take_inventory(connection: Any, vendor: Vendor) -> Inventory:
    """Counts, clinical digests and migrations of the database behind ``connection``.

    Run it inside one transaction (a repeatable-read one on PostgreSQL) for a
    consistent picture.
    """
    tables = list_tables(connection, vendor)
    present = set(tables)
    digests = {
        table: table_digest(connection, vendor, table, key)
        for table, key in sorted(clinical_tables().items())
        if table in present
    }
    return Inventory(
        row_counts=count_rows(connection, tables),
        digests=digests,
        migrations=last_migrations(connection, present),
    )


def tables_with_rows(connection: Any, vendor: Vendor) -> list[str]:
    """The tables, other than those ``migrate`` fills, that hold at least one row."""
    cursor = connection.cursor()
    found = []
    for table in list_tables(connection, vendor):
        if table in BOOKKEEPING_TABLES:
            continue
        cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608 (quoted name)
        if cursor.fetchone() is not None:
            found.append(table)
    return found
