"""The logging set-up: one line per record, as JSON for a log collector or as text to read.

JSON lines carry the time (UTC, ISO 8601), level, logger, message, the request
id and any ``extra`` fields given with the record, so a collector can search by
request id or status without parsing prose.
"""

from typing import Any

FORMATS = ("json", "text")


def logging_config(*, level: str, log_format: str) -> dict[str, Any]:
    """A ``LOGGING`` dictionary writing records of ``level`` and above to standard error.

    ``log_format`` is "json" or "text"; anything else is a ValueError.
    """
    if log_format not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, got {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "facetcare.operations.request_id.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        # The handler has the level too: records from "django.*" reach it through
        # propagation, past the root's level, and Django's own console handler
        # already shows them in debug (each task's progress was printed twice).
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "level": level,
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
