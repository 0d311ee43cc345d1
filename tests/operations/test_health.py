"""/healthz says the process is up; /readyz says whether it can serve, and what fails."""

from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, connections
from django.test import Client

from facetcare.operations import readiness


def test_healthz_answers_ok_without_touching_the_database(client: Client) -> None:
    # No django_db mark: any database access here would fail the test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_each_check_when_everything_answers(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {
            "database": {"ok": True, "detail": "ok"},
            "cache": {"ok": True, "detail": "ok"},
            "migrations": {"ok": True, "detail": "ok"},
        },
    }


@pytest.mark.django_db
def test_readyz_is_503_naming_the_cache_when_it_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(LocMemCache, "set", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"] == {"ok": False, "detail": "unreachable"}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_database_when_it_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise connection.Database.OperationalError("could not connect to server")

    monkeypatch.setattr(type(connections["default"]), "cursor", unreachable)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["database", "migrations"]
    assert response.json()["checks"]["migrations"]["detail"] == (
        "not checked: the database is unreachable"
    )


@pytest.mark.django_db
def test_readyz_is_503_when_a_migration_on_disk_is_not_applied(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes, replaces = readiness._migrations_on_disk()
    pending = ("audit", "9999_not_yet_applied")
    monkeypatch.setattr(readiness, "_migrations_on_disk", lambda: (nodes | {pending}, replaces))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "detail": "1 not applied"}
    assert readiness.unapplied_migrations() == ["audit.9999_not_yet_applied"]


@pytest.mark.django_db
def test_probes_need_no_login_no_known_host_and_no_https(client: Client, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["clinic.example"]
    settings.SECURE_SSL_REDIRECT = True

    # A balancer probing the server by its address, over plain HTTP.
    for path in ("/healthz", "/readyz"):
        assert client.get(path, HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_probes_refuse_a_write(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
