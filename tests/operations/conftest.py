"""A database beside the test database, fresh for each test: a new SQLite file, or a
new database on the same PostgreSQL server (dropped afterwards)."""

import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from facetcare.bench.database import sibling_database
from facetcare.operations.databases import postgres_environment


def _admin_connection(entry: dict[str, Any], dbname: str) -> psycopg.Connection[Any]:
    environment = postgres_environment(entry)
    return psycopg.connect(
        dbname=dbname,
        host=environment.get("PGHOST"),
        port=environment.get("PGPORT"),
        user=environment.get("PGUSER"),
        password=environment.get("PGPASSWORD"),
        autocommit=True,
    )


@pytest.fixture(scope="module")
def _postgres_beside_the_test_database(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[dict[str, Any]]:
    # One database per module, emptied before each test: creating and dropping a
    # database costs a checkpoint each time.
    with django_db_blocker.unblock():
        entry: dict[str, Any] = sibling_database(
            connection.settings_dict, f"facetcare_fresh_{uuid.uuid4().hex[:12]}"
        )
    try:
        yield entry
    finally:
        with _admin_connection(entry, "postgres") as server:
            server.execute(f'DROP DATABASE IF EXISTS "{entry["NAME"]}" WITH (FORCE)')


@pytest.fixture
def fresh_database(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """A DATABASES entry for a new, empty database of the test database's engine."""
    if connection.vendor == "sqlite":
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "fresh.sqlite3")}
        return
    entry: dict[str, Any] = request.getfixturevalue("_postgres_beside_the_test_database")
    with _admin_connection(entry, entry["NAME"]) as database:
        database.execute("DROP SCHEMA public CASCADE")
        database.execute("CREATE SCHEMA public")
    yield entry


def copy_test_database_into(entry: dict[str, Any]) -> None:
    """Give ``entry``'s database the test database's tables, migration records and rows.

    Called before a transactional test writes anything, this makes a migrated
    database with no data in it, as ``facetcare migrate`` would; called after, a
    copy of what the test has committed.
    """
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(entry["NAME"])) as target:
            connection.connection.backup(target)
        return
    source = postgres_environment(connection.settings_dict)
    dump = subprocess.run(
        ["pg_dump", "--format=custom"],  # noqa: S607 (from the PATH, as the site runs it)
        env={**os.environ, **source},
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={entry['NAME']}"],  # noqa: S607
        input=dump.stdout,
        env={**os.environ, **postgres_environment(entry)},
        capture_output=True,
        check=True,
    )
