"""``facetcare patient export ID [--output DIR]``; ``facetcare patient erase ID --reason ...``."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from facetcare.audit.actors import command_line_user
from facetcare.audit.context import access_path
from facetcare.errors import DomainError
from facetcare.patients.erasure import erase_patient
from facetcare.patients.export import export_file_stem, export_patient, record_json, record_pdf


class Command(BaseCommand):
    help = "Subject access: export one patient's whole record, or erase a patient."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the record as JSON and PDF")
        export.add_argument("patient_id", type=int)
        export.add_argument("--output", type=Path, default=Path.cwd(), help="folder (default .)")
        erase = actions.add_parser("erase", help="erase a patient no retention rule keeps")
        erase.add_argument("patient_id", type=int)
        erase.add_argument("--reason", required=True, help="the request: who asked, when, how")
        for sub in (export, erase):
            sub.add_argument(
                "--by", metavar="USERNAME", help="the manager acting (default: facetcare-cli)"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["by"])
        command = f"facetcare patient {options['action']} {options['patient_id']}"
        try:
            with access_path(command):
                if options["action"] == "export":
                    self._export(actor, options["patient_id"], options["output"])
                else:
                    erase_patient(
                        patient_id=options["patient_id"],
                        reason=options["reason"],
                        acting_user=actor,
                    )
                    self.stdout.write(f"Erased patient {options['patient_id']}.")
        except DomainError as error:
            raise CommandError(error.detail) from error

    def _actor(self, username: str | None) -> Any:
        if username is None:
            return command_line_user()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}")
        return user

    def _export(self, actor: Any, patient_id: int, output: Path) -> None:
        record = export_patient(patient_id=patient_id, acting_user=actor)
        output.mkdir(parents=True, exist_ok=True)
        stem = output / export_file_stem(record)
        stem.with_suffix(".json").write_bytes(record_json(record))
        stem.with_suffix(".pdf").write_bytes(record_pdf(record))
        rows = sum(len(section.rows) for section in record.sections)
        self.stdout.write(
            f"Exported patient {patient_id} ({rows} rows in {len(record.sections)} tables) to "
            f"{stem}.json and {stem}.pdf"
        )
