"""``facetcare restore FILE [--force]``."""

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from facetcare.operations.archive import media_root
from facetcare.operations.restore import RestoreMismatch, RestoreRefused, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'facetcare backup' into the configured (empty) database, "
        "then check it against the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the facetcare-backup-*.tar file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database and media folder that are not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No backup file at {path}")
        try:
            restored = restore_backup(
                path=path,
                target=settings.DATABASES["default"],
                media=media_root(),
                force=options["force"],
            )
        except (RestoreRefused, RestoreMismatch) as error:
            raise CommandError(str(error)) from error
        except (psycopg.Error, sqlite3.Error) as error:
            raise CommandError(f"The database could not be reached: {error}") from error
        self.stdout.write(
            f"Restored {restored.rows} rows in {restored.tables} tables and "
            f"{restored.media_files} uploaded files from {path.name} "
            f"(made {restored.manifest['created_at']}); every table's row count and the "
            "clinical tables' contents match the backup."
        )
