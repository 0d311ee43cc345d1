"""Which database and settings the benchmark runs with, and the guard that keeps it off real data.

``facetcare bench`` uses ``DATABASE_URL`` when it is set. Otherwise it creates
(if needed) and uses a dedicated PostgreSQL database, ``facetcare_bench`` on the
local server: over its Unix socket when there is one, else on 127.0.0.1:5432.
It always measures with debug off, as production runs (debug mode records every
query and wraps every cursor): with debug on, or without a database URL, it
runs itself again with ``FACETCARE_DEBUG=0``, a random secret key unless one is
set, and that URL. Django is configured before the command starts, so neither
can be changed in place. Booking emails go to a task backend that encodes them
as a queue message and drops them, as a production server hands them to a
worker's queue."""

import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

TCP_URL = "postgres://postgres@127.0.0.1:5432/facetcare_bench"
# Where Debian's PostgreSQL puts its Unix socket.
SOCKET_DIR = Path("/var/run/postgresql")
BENCH_PREFIX = "bench-"
# The task backend that stands in for a worker queue: it checks the task and
# encodes the message a queue would carry, then drops it; nothing is sent.
QUEUED_TASKS_BACKEND = "facetcare.bench.queue.DroppedQueueBackend"


class BenchRefused(RuntimeError):
    """The configured database holds data the benchmark would destroy."""


def rerun_with_bench_settings(argv: Sequence[str]) -> int | None:
    """Run the bench again with debug off (and on the dedicated database unless
    DATABASE_URL was given); None when this process already has those settings."""
    url = os.environ.get("DATABASE_URL")
    if url and not settings.DEBUG:
        return None
    if not url:
        url = default_url()
        create_database_if_missing(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FACETCARE_DEBUG": "0",
        "FACETCARE_SECRET_KEY": os.environ.get("FACETCARE_SECRET_KEY") or secrets.token_urlsafe(50),
        "FACETCARE_TASKS_BACKEND": os.environ.get("FACETCARE_TASKS_BACKEND")
        or QUEUED_TASKS_BACKEND,
    }
    command = [sys.executable, "-c", "import sys; from facetcare.cli import main; sys.exit(main())"]
    return subprocess.call([*command, "bench", *argv], env=env)  # noqa: S603 (our own interpreter)


def default_url() -> str:
    """The dedicated database over the local server's Unix socket when there is one,
    as an application on the database's own host connects; else over TCP.

    On this 2-core machine the socket made the 32-client booking run about a
    sixth faster than TCP to 127.0.0.1 in alternating rounds (when a booking
    made ten round trips; it makes eight now), and the socket spends less
    kernel time on each.
    """
    if (SOCKET_DIR / ".s.PGSQL.5432").exists():
        return f"postgres://postgres@{quote(str(SOCKET_DIR), safe='')}/facetcare_bench"
    return TCP_URL


def connection_description() -> str:
    """How the configured database is reached, for the report."""
    host = settings.DATABASES["default"].get("HOST") or ""
    if not settings.IS_POSTGRES:
        return "embedded SQLite"
    if host.startswith("/"):
        return f"PostgreSQL's Unix socket in {host}"
    return f"TCP to {host or 'localhost'}:{settings.DATABASES['default'].get('PORT') or 5432}"


def create_database_if_missing(url: str) -> None:
    import dj_database_url

    parts = dj_database_url.parse(url)
    ensure_database(_on_server_of(parts, parts["NAME"]))


def sibling_database(ours: Mapping[str, Any], name: str) -> dict[str, str]:
    """A DATABASES entry for the database ``name`` on the same PostgreSQL server as
    ``ours`` (a DATABASES entry), created if missing.

    The host is kept as it is, so a Unix socket directory stays one; give the
    entry to ``database_url`` for a URL."""
    entry = _on_server_of(ours, name)
    ensure_database(entry)
    return entry


def _on_server_of(ours: Mapping[str, Any], name: str) -> dict[str, str]:
    """The DATABASES entry of ``name`` on ``ours``'s server, the local defaults filled in."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "HOST": ours.get("HOST") or "127.0.0.1",
        "PORT": str(ours.get("PORT") or 5432),
        "USER": ours.get("USER") or "postgres",
        "PASSWORD": ours.get("PASSWORD") or "",
    }


def database_url(entry: Mapping[str, str]) -> str:
    """The postgres:// URL of a PostgreSQL DATABASES entry; a socket directory as the
    host is percent-encoded, as a URL must carry it."""
    user = quote(entry["USER"], safe="")
    if entry.get("PASSWORD"):
        user += ":" + quote(entry["PASSWORD"], safe="")
    host = quote(entry["HOST"], safe="")
    return f"postgres://{user}@{host}:{entry['PORT']}/{entry['NAME']}"


def ensure_database(entry: Mapping[str, str]) -> None:
    """Create the database of a PostgreSQL DATABASES ``entry`` (its HOST a name, an
    address or a Unix socket directory) unless it exists."""
    import psycopg

    name = entry["NAME"]
    admin = psycopg.connect(
        host=entry["HOST"],
        port=int(entry["PORT"]),
        user=entry["USER"],
        password=entry["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            admin.execute(f'CREATE DATABASE "{name}"')


def is_postgres() -> bool:
    return bool(settings.IS_POSTGRES)


def refuse_foreign_data() -> None:
    """Raise BenchRefused if any clinic, patient or user is not the benchmark's own."""
    from django.contrib.auth import get_user_model

    from facetcare.clinics.models import Clinic
    from facetcare.patients.models import Patient

    foreign = {
        "clinics": Clinic.objects.exclude(slug__startswith=BENCH_PREFIX).count(),
        "patients": Patient.objects.exclude(email__endswith="@bench.example.com").count(),
        "users": get_user_model().objects.exclude(username__startswith=BENCH_PREFIX).count(),
    }
    found = {what: count for what, count in foreign.items() if count}
    if found:
        listed = ", ".join(f"{count} {what}" for what, count in found.items())
        raise BenchRefused(
            f"The configured database holds data that is not the benchmark's ({listed}); "
            "the bench replaces all booking data. Point DATABASE_URL at a dedicated "
            "database, or pass --force."
        )
