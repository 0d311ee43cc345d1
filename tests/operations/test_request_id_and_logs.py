"""Every response carries a request id, and every log line written while the request
runs carries the same id; in production the lines are JSON."""

import io
import json
import logging.config
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from facetcare.operations.log_format import logging_config
from facetcare.operations.request_id import current_request_id


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The site's own JSON logging set-up, writing to a buffer, for one test."""
    buffer = io.StringIO()
    config = logging_config(level="INFO", log_format="json")
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    try:
        yield buffer
    finally:
        logging.config.dictConfig(settings.LOGGING)


def _records(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_request_without_an_id_gets_a_new_uuid_in_its_response(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_an_id_given_by_the_proxy_is_kept(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="Root=1-67891233-abcdef012345678912345678")

    assert response["X-Request-ID"] == "Root=1-67891233-abcdef012345678912345678"


@pytest.mark.parametrize(
    "incoming",
    ["", "two words", "line\nbreak", "x" * 129, "<script>", "-starts-with-a-dash"],
)
def test_an_id_that_is_not_sane_is_replaced(client: Client, incoming: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_outside_a_request_the_id_is_a_dash() -> None:
    assert current_request_id() == "-"


def test_each_request_writes_one_json_line_with_its_id_status_and_time(
    client: Client, json_log: io.StringIO
) -> None:
    client.get("/healthz", HTTP_X_REQUEST_ID="req-42")

    (line,) = _records(json_log)
    assert line["logger"] == "facetcare.request"
    assert line["level"] == "INFO"
    assert line["message"].startswith("GET /healthz 200 ")
    assert (line["request_id"], line["method"], line["path"], line["status"]) == (
        "req-42",
        "GET",
        "/healthz",
        200,
    )
    assert isinstance(line["duration_ms"], float)
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", line["time"])


@pytest.mark.django_db
def test_a_line_logged_deep_inside_the_request_carries_the_request_id(
    client: Client, json_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(LocMemCache, "set", refuse)

    client.get("/readyz", HTTP_X_REQUEST_ID="req-43")

    failure, request, django_line = _records(json_log)
    assert (failure["logger"], failure["level"]) == ("facetcare.operations.readiness", "ERROR")
    assert "ConnectionError: Connection refused" in failure["exc_info"]
    assert (request["logger"], request["status"]) == ("facetcare.request", 503)
    # Django logs an error response after every middleware has returned.
    assert (django_line["logger"], django_line["message"]) == (
        "django.request",
        "Service Unavailable: /readyz",
    )
    assert {line["request_id"] for line in (failure, request, django_line)} == {"req-43"}
    assert current_request_id() == "-"


def _settings_in_a_new_process(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "facetcare.config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_logs_are_json_when_debug_is_off_and_text_in_debug_unless_chosen() -> None:
    production = {"FACETCARE_DEBUG": "false", "FACETCARE_SECRET_KEY": "x" * 50}

    assert _settings_in_a_new_process(**production).stdout.strip() == "json"
    assert _settings_in_a_new_process(FACETCARE_DEBUG="true").stdout.strip() == "text"
    chosen = _settings_in_a_new_process(FACETCARE_DEBUG="true", FACETCARE_LOG_FORMAT="json")
    assert chosen.stdout.strip() == "json"


def test_an_unknown_log_format_stops_start_up_naming_the_variable() -> None:
    found = _settings_in_a_new_process(FACETCARE_LOG_FORMAT="xml")

    assert found.returncode != 0
    assert "FACETCARE_LOG_FORMAT must be json or text, got 'xml'" in found.stderr
