"""``facetcare restore FILE``: put a backup back, into an empty database, and prove it.

Every refusal comes before anything is written: a checksum that does not match,
a backup from the other database engine, a database or media folder that is
not empty (unless forced). "Empty" means no table holds a row, apart from the
tables ``migrate`` itself fills (``django_migrations``, ``django_content_type``,
``auth_permission``), so a freshly migrated database counts as empty.

Afterwards the restored database's row counts, clinical digests and migrations
are compared with the manifest; any difference is an error naming the tables.
"""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections

from facetcare.operations import archive
from facetcare.operations.databases import (
    DatabaseEntry,
    Vendor,
    postgres_environment,
    raw_connection,
    vendor_of,
)
from facetcare.operations.inventory import Inventory, tables_with_rows, take_inventory


class RestoreRefused(RuntimeError):
    """The backup or the target is not fit to restore; nothing was changed."""


class RestoreMismatch(RuntimeError):
    """The restored database differs from what the backup's manifest records."""


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    tables: int
    rows: int
    media_files: int


def _verify_checksum(path: Path) -> None:
    checksum_file = archive.checksum_path(path)
    if not checksum_file.is_file():
        raise RestoreRefused(f"No checksum file {checksum_file.name} beside the backup")
    expected = checksum_file.read_text().split()[0].lower() if checksum_file.stat().st_size else ""
    if archive.sha256_of(path) != expected:
        raise RestoreRefused(
            f"{path.name} does not match its checksum: the file is damaged or incomplete"
        )


def _unpack(path: Path, work: Path) -> dict[str, Any]:
    """Extract the manifest and the parts it lists into ``work``; check each part."""
    with tarfile.open(path, "r:") as tar:
        names = set(tar.getnames())
        if archive.MANIFEST not in names:
            raise RestoreRefused(f"{path.name} is not a FacetCare backup (no manifest)")
        manifest: dict[str, Any] = json.load(tar.extractfile(archive.MANIFEST))  # type: ignore[arg-type]
        if manifest.get("format") != archive.FORMAT:
            raise RestoreRefused(f"{path.name} is not a FacetCare backup")
        parts: Mapping[str, str] = manifest["parts"]
        for name in parts:
            if name not in names or "/" in name or name.startswith("."):
                raise RestoreRefused(f"{path.name} lacks its part {name!r}")
            tar.extract(name, work, filter="data")
    for name, expected in parts.items():
        if archive.sha256_of(work / name) != expected:
            raise RestoreRefused(f"The part {name} of {path.name} does not match the manifest")
    return manifest


def _refuse_unless_empty(entry: DatabaseEntry, vendor: Vendor, media: Path) -> None:
    with raw_connection(entry) as connection:
        occupied = tables_with_rows(connection, vendor)
    if occupied:
        shown = ", ".join(occupied[:5]) + (" and more" if len(occupied) > 5 else "")
        raise RestoreRefused(
            f"The database is not empty ({len(occupied)} tables hold rows: {shown}); "
            "restore into an empty database, or pass --force to replace its contents"
        )
    if media.is_dir() and any(media.iterdir()):
        raise RestoreRefused(
            f"The media folder {media} is not empty; pass --force to replace its files"
        )


def _close_site_connections_to(target: DatabaseEntry) -> None:
    # The site's own connection to the target must not hold it open meanwhile.
    for connection in connections.all(initialized_only=True):
        entry = connection.settings_dict
        if (entry["NAME"], entry.get("HOST")) == (target["NAME"], target.get("HOST")):
            connection.close()


def _restore_sqlite(dump: Path, entry: DatabaseEntry, work: Path) -> None:
    copy = work / "database.sqlite3"
    with gzip.open(dump, "rb") as packed, copy.open("wb") as out:
        shutil.copyfileobj(packed, out, 1 << 20)
    with closing(sqlite3.connect(copy)) as source:
        (verdict,) = source.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise RestoreRefused(f"The database in the backup is damaged: {verdict}")
        with raw_connection(entry) as target:
            # Page by page over whatever the target held: it becomes the copy.
            source.backup(target)


def _has_tables(entry: DatabaseEntry) -> bool:
    with raw_connection(entry) as connection:
        row = connection.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' LIMIT 1"
        ).fetchone()
    return row is not None


def _restore_postgres(dump: Path, entry: DatabaseEntry) -> None:
    command = ["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error"]
    if _has_tables(entry):
        # A migrated but empty database (or a forced restore): the backup's
        # definitions replace its tables, in the same single transaction.
        command += ["--clean", "--if-exists"]
    done = subprocess.run(  # noqa: S603 (fixed program, no shell)
        [*command, f"--dbname={entry['NAME']}", str(dump)],
        env={**os.environ, **postgres_environment(entry)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RestoreRefused(f"pg_restore failed, nothing was restored: {done.stderr.strip()}")


def _restore_media(packed: Path, media: Path) -> int:
    if media.is_dir():
        shutil.rmtree(media)
    media.mkdir(parents=True)
    with tarfile.open(packed, "r:gz") as tar:
        members = [member for member in tar.getmembers() if member.isfile()]
        tar.extractall(media, members=members, filter="data")
    return len(members)


def _compare(manifest: dict[str, Any], found: Inventory) -> None:
    problems = []
    expected_counts: dict[str, int] = manifest["row_counts"]
    for table in sorted(set(expected_counts) | set(found.row_counts)):
        want, got = expected_counts.get(table), found.row_counts.get(table)
        if want != got:
            problems.append(f"{table}: {got} rows, the backup has {want}")
    for table, digest in sorted(manifest["clinical_digests"].items()):
        if found.digests.get(table) != digest:
            problems.append(f"{table}: its rows differ from the backup's")
    if manifest["migrations"] != found.migrations:
        problems.append("the applied migrations differ from the backup's")
    if problems:
        raise RestoreMismatch(
            "The restored database differs from the backup: " + "; ".join(problems)
        )


def restore_backup(
    *, path: Path, target: DatabaseEntry, media: Path, force: bool = False
) -> Restored:
    """Restore the backup at ``path`` into the database ``target`` and the folder ``media``.

    Raises RestoreRefused before changing anything when the backup is damaged or
    the target is not empty (unless ``force``), and RestoreMismatch when the
    restored database does not match the backup's manifest.
    """
    _verify_checksum(path)
    vendor = vendor_of(target)
    with tempfile.TemporaryDirectory(prefix=".facetcare-restore-") as scratch:
        work = Path(scratch)
        manifest = _unpack(path, work)
        if manifest["database"]["vendor"] != vendor:
            raise RestoreRefused(
                f"This is a {manifest['database']['vendor']} backup; "
                f"the target database is {vendor}"
            )
        if not force:
            _refuse_unless_empty(target, vendor, media)
        _close_site_connections_to(target)
        dump = work / manifest["database"]["file"]
        if vendor == "sqlite":
            _restore_sqlite(dump, target, work)
        else:
            _restore_postgres(dump, target)
        media_files = _restore_media(work / manifest["media"]["file"], media)
    with raw_connection(target) as connection:
        found = take_inventory(connection, vendor)
    _compare(manifest, found)
    return Restored(
        manifest=manifest,
        tables=len(found.row_counts),
        rows=sum(found.row_counts.values()),
        media_files=media_files,
    )
