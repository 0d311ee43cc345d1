"""The backup file's layout, shared by writing and reading it.

One uncompressed tar (its parts are compressed already) holding:

- ``manifest.json``: when, from which database, every table's row count, the
  clinical tables' digests, the last migration per app, and each part's SHA-256;
- ``database.pgdump`` (PostgreSQL, pg_dump's custom format, compressed) or
  ``database.sqlite3.gz`` (SQLite, a copy made with the online-backup API, gzipped);
- ``media.tar.gz``: the uploaded files.

Beside it, ``<name>.sha256`` holds the archive's own SHA-256 in ``sha256sum``
format, so ``sha256sum -c`` checks it without FacetCare.
"""

import hashlib
from datetime import datetime
from pathlib import Path

from django.conf import settings

from facetcare.operations.databases import Vendor

FORMAT = "facetcare-backup"
FORMAT_VERSION = 1
PREFIX = "facetcare-backup-"
SUFFIX = ".tar"
STAMP = "%Y%m%dT%H%M%SZ"
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DATABASE_FILES: dict[Vendor, str] = {
    "postgresql": "database.pgdump",
    "sqlite": "database.sqlite3.gz",
}


def archive_name(created_at: datetime) -> str:
    """``facetcare-backup-20270112T020000Z.tar`` for a backup made at that UTC instant."""
    return f"{PREFIX}{created_at.strftime(STAMP)}{SUFFIX}"


def checksum_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def media_root() -> Path:
    """Where uploaded files live: ``MEDIA_ROOT`` when set, else the data folder's ``media``."""
    configured = getattr(settings, "MEDIA_ROOT", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "media"


def default_backup_dir() -> Path:
    return Path(settings.DATA_DIR) / "backups"
