"""``facetcare backup``: one consistent, compressed, checksummed backup file.

Consistent means the database part, the row counts and the digests in the
manifest all describe one instant: on PostgreSQL the counts are taken in a
repeatable-read transaction whose snapshot pg_dump is given (``--snapshot``);
on SQLite they are taken from the copy itself. Nothing is left half-written:
the archive is written under a temporary name, flushed to disk, then renamed.
"""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections

from facetcare.operations import archive
from facetcare.operations.databases import postgres_environment, raw_connection, vendor_of
from facetcare.operations.inventory import Inventory, take_inventory


class BackupFailed(RuntimeError):
    """The backup could not be written; no backup file was left behind."""


@dataclass(frozen=True)
class Backup:
    path: Path
    checksum_path: Path
    manifest: dict[str, Any]


def _dump_sqlite(alias: str, work: Path) -> tuple[Path, Inventory]:
    copy = work / "database.sqlite3"
    source = connections[alias]
    source.ensure_connection()
    with closing(sqlite3.connect(copy)) as target:
        # The online-backup API copies a consistent image while others go on writing.
        source.connection.backup(target)
        inventory = take_inventory(target, "sqlite")
    packed = work / archive.DATABASE_FILES["sqlite"]
    with copy.open("rb") as raw, gzip.open(packed, "wb", compresslevel=6) as out:
        shutil.copyfileobj(raw, out, 1 << 20)
    copy.unlink()
    return packed, inventory


def _dump_postgres(alias: str, work: Path) -> tuple[Path, Inventory]:
    entry = connections[alias].settings_dict
    dump = work / archive.DATABASE_FILES["postgresql"]
    with raw_connection(entry) as snapshot_holder:
        snapshot_holder.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot_holder.read_only = True
        (snapshot,) = snapshot_holder.execute("SELECT pg_export_snapshot()").fetchone()
        inventory = take_inventory(snapshot_holder, "postgresql")
        # pg_dump reads the very snapshot the counts were taken in; the holding
        # transaction stays open until it has finished.
        done = subprocess.run(  # noqa: S603 (fixed program, no shell)
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],  # noqa: S607
            env={**os.environ, **postgres_environment(entry)},
            capture_output=True,
            text=True,
            check=False,
        )
        snapshot_holder.rollback()
    if done.returncode != 0:
        raise BackupFailed(f"pg_dump failed: {done.stderr.strip()}")
    return dump, inventory


def _pack_media(work: Path) -> tuple[Path, int]:
    root = archive.media_root()
    packed = work / archive.MEDIA
    files = 0
    with tarfile.open(packed, "w:gz") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    files += 1
    return packed, files


def _write_archive(target: Path, manifest: dict[str, Any], parts: list[Path]) -> None:
    partial = target.with_name(target.name + ".partial")
    manifest_file = parts[0].parent / archive.MANIFEST
    manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    with tarfile.open(partial, "w") as tar:
        for path in [manifest_file, *parts]:
            tar.add(path, arcname=path.name, recursive=False)
    with partial.open("rb") as written:
        os.fsync(written.fileno())
    partial.replace(target)


def create_backup(*, output_dir: Path, now: datetime, alias: str = DEFAULT_DB_ALIAS) -> Backup:
    """Back up the database ``alias`` and the uploaded files into ``output_dir``.

    Returns the archive, its checksum file and the manifest. Raises BackupFailed
    (and leaves no file) when the database cannot be dumped.
    """
    created_at = now.astimezone(UTC)
    vendor = vendor_of(connections[alias].settings_dict)
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / archive.archive_name(created_at)
    with tempfile.TemporaryDirectory(prefix=".facetcare-backup-", dir=output_dir) as scratch:
        work = Path(scratch)
        dump = _dump_sqlite if vendor == "sqlite" else _dump_postgres
        database, inventory = dump(alias, work)
        media, media_files = _pack_media(work)
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "facetcare_version": version("facetcare"),
            "database": {"vendor": vendor, "file": database.name},
            "media": {"file": media.name, "files": media_files},
            **inventory.as_json(),
            "parts": {path.name: archive.sha256_of(path) for path in (database, media)},
        }
        _write_archive(target, manifest, [database, media])
    checksum = archive.checksum_path(target)
    checksum.write_text(f"{archive.sha256_of(target)}  {target.name}\n")
    return Backup(path=target, checksum_path=checksum, manifest=manifest)
