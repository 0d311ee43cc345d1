"""Suite-wide test set-up.

Tests marked ``postgres`` need PostgreSQL's own behaviour (exclusion
constraints, row locks under real concurrency). They are left out of a run on
SQLite and run in the PostgreSQL leg of CI, where an unreachable server fails
the run instead of skipping anything.
"""

from typing import Any

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if settings.IS_POSTGRES:
        return
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker("postgres") else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The production hasher is deliberately slow; tests create many staff users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings: Any) -> None:
    # The site queues background work in the database for a worker; a test sees
    # its emails at once unless it is testing the worker itself (those tests
    # set TASKS back to the database backend).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _no_rate_limits_by_default(settings: Any) -> None:
    # Browser and page tests make many requests from one address; the tests of
    # the limits themselves turn them back on.
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def _texts_kept_in_memory(settings: Any) -> None:
    # Text messages go to a list the tests can read, not to the console.
    from facetcare.sms import InMemorySmsBackend

    settings.FACETCARE_SMS_BACKEND = "facetcare.sms.InMemorySmsBackend"
    InMemorySmsBackend.outbox.clear()
