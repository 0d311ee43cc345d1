"""Whether this process can serve: the database and the cache answer, and every
migration on disk has been applied to the database.

Each check returns a ``Check``; a failure's detail is short and names no host
or credential (the page is public), and the cause is logged for the operator.
"""

import functools
import logging
import uuid
from dataclasses import dataclass

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database(alias: str = DEFAULT_DB_ALIAS) -> Check:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("Readiness: the database %r did not answer", alias)
        return Check("database", ok=False, detail="unreachable")
    return Check("database", ok=True, detail="ok")


def check_cache(alias: str = "default") -> Check:
    key, value = f"facetcare:readyz:{uuid.uuid4().hex}", "1"
    try:
        cache = caches[alias]
        cache.set(key, value, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        log.exception("Readiness: the cache %r did not answer", alias)
        return Check("cache", ok=False, detail="unreachable")
    if answered != value:
        return Check("cache", ok=False, detail="a value written was not read back")
    return Check("cache", ok=True, detail="ok")


type MigrationKey = tuple[str, str]


@functools.cache
def _migrations_on_disk() -> tuple[frozenset[MigrationKey], dict[MigrationKey, list[MigrationKey]]]:
    # The files cannot change under a running process, so they are read once;
    # each check then costs one query of the django_migrations table.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replaces = {key: list(migration.replaces) for key, migration in loader.disk_migrations.items()}
    return frozenset(loader.graph.nodes), replaces


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations on disk not yet applied to the database, as "app.name", in order."""
    nodes, replaces = _migrations_on_disk()
    applied = set(MigrationRecorder(connections[alias]).applied_migrations())
    missing = []
    for key in sorted(nodes):
        # A squashed migration counts as applied when everything it replaces is.
        if key in applied or (replaces.get(key) and all(r in applied for r in replaces[key])):
            continue
        missing.append(f"{key[0]}.{key[1]}")
    return missing


def check_migrations(alias: str = DEFAULT_DB_ALIAS) -> Check:
    try:
        missing = unapplied_migrations(alias)
    except Exception:
        log.exception("Readiness: the applied migrations could not be read")
        return Check("migrations", ok=False, detail="could not be read")
    if missing:
        log.error("Readiness: unapplied migrations: %s", ", ".join(missing))
        return Check("migrations", ok=False, detail=f"{len(missing)} not applied")
    return Check("migrations", ok=True, detail="ok")


def run_checks() -> list[Check]:
    """Every readiness check, the database's first (the migrations check needs it)."""
    database = check_database()
    migrations = (
        check_migrations()
        if database.ok
        else Check("migrations", ok=False, detail="not checked: the database is unreachable")
    )
    return [database, check_cache(), migrations]
