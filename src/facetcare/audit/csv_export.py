"""The access log as CSV, written row by row so a year of entries streams in constant memory."""

import csv
from collections.abc import Iterable, Iterator

from facetcare.audit.models import AccessLogEntry

HEADER = (
    "at_utc",
    "user_id",
    "username",
    "user_name",
    "action",
    "patient_id",
    "patient_name",
    "record_type",
    "record_id",
    "path",
)

# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV
# injection"); a leading apostrophe makes it text again. Names and paths come from
# people, so they are never trusted to be inert.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Line:
    """A file-like target for csv.writer that hands back the line it was given."""

    def write(self, line: str) -> str:
        return line


def csv_lines(entries: Iterable[AccessLogEntry]) -> Iterator[str]:
    """The header, then one CSV line per entry (times in UTC, ISO 8601)."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for entry in entries:
        user, patient = entry.user, entry.patient
        yield writer.writerow(
            [
                entry.at.isoformat(),
                entry.user_id,
                _cell(user.get_username()),
                _cell(user.get_full_name()),
                entry.action,
                entry.patient_id,
                _cell(patient.full_name),
                _cell(entry.object_type),
                entry.object_id,
                _cell(entry.path),
            ]
        )
