"""The API limits calls per staff token, and per client address for calls without one."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from facetcare.web.roles import Role
from facetcare.web.services import issue_api_token
from tests.web.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits_on(settings: Any) -> Any:
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield settings
    cache.clear()


def token_for(username: str) -> str:
    return issue_api_token(user=make_staff(username, Role.RECEPTIONIST), name="test")[1]


def call(token: str) -> Any:
    return Client().get("/api/v1/services", headers={"Authorization": f"Bearer {token}"})


def test_a_token_over_its_limit_gets_429_with_retry_after(limits_on: Any) -> None:
    limits_on.FACETCARE_API_TOKEN_RATE = "3/m"
    token = token_for("cara")

    allowed = [call(token).status_code for _ in range(3)]
    refused = call(token)

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"] == "rate_limited"
    assert refused.json()["detail"].startswith("Too many requests. Try again in")


def test_each_token_has_its_own_count(limits_on: Any) -> None:
    limits_on.FACETCARE_API_TOKEN_RATE = "2/m"
    busy, quiet = token_for("cara"), token_for("dan")
    for _ in range(3):
        call(busy)

    assert call(busy).status_code == 429
    assert call(quiet).status_code == 200


def test_calls_without_a_token_are_limited_per_address(limits_on: Any) -> None:
    limits_on.FACETCARE_PUBLIC_RATE = "2/m"
    here, there = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.20")

    statuses = [here.get("/api/v1/clinics").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert "Retry-After" in here.get("/api/v1/clinics")
    assert there.get("/api/v1/clinics").status_code == 200


def test_anonymous_writes_have_their_own_lower_limit(limits_on: Any) -> None:
    limits_on.FACETCARE_PUBLIC_WRITE_RATE = "1/m"
    client = Client(REMOTE_ADDR="203.0.113.7")

    first = client.post("/api/v1/bookings", "{}", content_type="application/json")
    second = client.post("/api/v1/bookings", "{}", content_type="application/json")

    assert first.status_code == 422
    assert second.status_code == 429
    assert client.get("/api/v1/clinics").status_code == 200


def test_with_rate_limits_off_nothing_is_refused(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    settings.FACETCARE_API_TOKEN_RATE = "1/m"
    token = token_for("cara")

    assert [call(token).status_code for _ in range(3)] == [200, 200, 200]
