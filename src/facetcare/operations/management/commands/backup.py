"""``facetcare backup [--output DIR] [--prune]``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from facetcare.operations.archive import default_backup_dir
from facetcare.operations.backup import BackupFailed, create_backup
from facetcare.operations.retention import RETENTION, prune_backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one checksummed archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="folder for the backup (default var/backups)"
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help=f"then delete older backups in that folder beyond the retention ({RETENTION})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or default_backup_dir()
        try:
            backup = create_backup(output_dir=output, now=timezone.now())
        except BackupFailed as error:
            raise CommandError(str(error)) from error
        counts = backup.manifest["row_counts"]
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows in {len(counts)} tables and "
            f"{backup.manifest['media']['files']} uploaded files to {backup.path}\n"
            f"Checksum: {backup.checksum_path}"
        )
        if options["prune"]:
            for removed in prune_backups(directory=output):
                self.stdout.write(f"Removed {removed.name} (beyond the retention)")
