"""Settings for a ``facetcare worker`` started by the worker tests: FacetCare's own, with
email going to ``tests.worker_support.RecordingMailBackend`` (a file, slowly)."""

from facetcare.config.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "tests.worker_support.RecordingMailBackend"}}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
