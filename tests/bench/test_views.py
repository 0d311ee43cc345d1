"""The benchmark's reference views: routed only when the server's environment asks."""

import importlib
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve

from facetcare.bench import views
from facetcare.config import urls
from facetcare.config.api import api


def _reloaded_urls() -> ModuleType:
    clear_url_caches()
    return importlib.reload(urls)


@pytest.fixture
def bench_urls(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[ModuleType]:
    monkeypatch.setenv("FACETCARE_BENCH_VIEWS", "1")
    module = _reloaded_urls()
    settings.ROOT_URLCONF = module
    yield module
    monkeypatch.delenv("FACETCARE_BENCH_VIEWS")
    _reloaded_urls()


def test_the_reference_views_are_not_routed_without_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FACETCARE_BENCH_VIEWS", raising=False)
    module = _reloaded_urls()

    for path in ("/bench/reference/booking", "/bench/reference/page"):
        with pytest.raises(Resolver404):
            resolve(path, urlconf=module.__name__)


def test_the_reference_views_are_routed_when_the_setting_is_on(bench_urls: ModuleType) -> None:
    assert (
        resolve("/bench/reference/page", urlconf=bench_urls.__name__).func is views.reference_page
    )


def test_the_reference_views_are_not_in_the_api_document(bench_urls: ModuleType) -> None:
    paths = api.get_openapi_schema()["paths"]

    assert not [path for path in paths if "bench" in path]


def test_the_reference_page_is_a_small_html_page(bench_urls: ModuleType) -> None:
    response = Client().get("/bench/reference/page")

    assert response.status_code == 200
    assert response.content.startswith(b"<!doctype html>")


@pytest.mark.django_db(transaction=True)
def test_the_reference_booking_inserts_once_and_refuses_an_overlap(
    bench_urls: ModuleType,
) -> None:
    views.create_table()
    client = Client()
    span = {"resource": 7, "start": "2030-01-01T09:00:00+00:00", "end": "2030-01-01T09:30:00+00:00"}

    first = client.post("/bench/reference/booking", span, content_type="application/json")
    again = client.post(
        "/bench/reference/booking",
        {**span, "start": "2030-01-01T09:15:00+00:00", "end": "2030-01-01T09:45:00+00:00"},
        content_type="application/json",
    )
    other = client.post(
        "/bench/reference/booking", {**span, "resource": 8}, content_type="application/json"
    )

    assert first.status_code == 201
    assert again.status_code == 409
    assert other.status_code == 201
    assert json.loads(other.content)["id"] != json.loads(first.content)["id"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_reference")
        assert cursor.fetchone() == (2,)
        cursor.execute("DROP TABLE bench_reference")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_exclusion_constraint_refuses_what_the_read_missed() -> None:
    from django.db import IntegrityError

    views.create_table()
    insert = (
        "INSERT INTO bench_reference (resource, during) "
        "VALUES (1, tstzrange('2030-01-01 09:00+00', '2030-01-01 09:30+00'))"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert)
        with pytest.raises(IntegrityError):
            cursor.execute(insert)
        cursor.execute("DROP TABLE bench_reference")
