"""``facetcare outcomes load-questionnaire FILE --code ODI --kind disability --licence ...``.

Loads a clinic's own (licensed) questionnaire from a FHIR Questionnaire JSON file,
after checking its shape; FacetCare ships only free items.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from facetcare.audit.actors import command_line_user
from facetcare.errors import DomainError
from facetcare.outcomes.models import Instrument
from facetcare.outcomes.services import load_questionnaire


class Command(BaseCommand):
    help = "Outcome measures: load a clinic's licensed questionnaire (ODI, NDI, STarT Back...)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load-questionnaire", help="load a FHIR Questionnaire file")
        load.add_argument("file", type=Path)
        load.add_argument("--code", required=True, help="short code, e.g. ODI")
        load.add_argument("--kind", required=True, choices=Instrument.Kind.values)
        load.add_argument(
            "--scoring", default=Instrument.Scoring.SUM, choices=Instrument.Scoring.values
        )
        load.add_argument("--region", action="append", default=[], help="cervical, lumbar...")
        load.add_argument("--licence", required=True, help="the clinic's licence to use it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            resource = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        try:
            instrument = load_questionnaire(
                resource=resource,
                code=options["code"],
                kind=options["kind"],
                scoring=options["scoring"],
                regions=options["region"],
                licence=options["licence"],
                acting_user=command_line_user(),
            )
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(f"Loaded {instrument.code}: {instrument.title}.")
