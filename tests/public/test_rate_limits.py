from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from facetcare.booking.models import Appointment
from tests.public.conftest import PublicWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits_on(settings: Any) -> Any:
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield settings
    cache.clear()


@pytest.mark.parametrize(
    "url", ["/clinics/", "/book/", "/book/riverside/", "/book/riverside/assessment/"]
)
def test_too_many_page_views_from_one_client_get_429_with_a_clear_page(
    client: Client, world: PublicWorld, limits_on: Any, url: str
) -> None:
    limits_on.FACETCARE_PUBLIC_RATE = "2/m"

    answers = [client.get(url) for _ in range(3)]

    assert [answer.status_code for answer in answers[:2]] == [200, 200]
    assert answers[2].status_code == 429
    assert answers[2]["Retry-After"] == "60"
    assert "Please wait a moment" in answers[2].content.decode()


def test_the_read_limit_counts_every_public_page_together(
    client: Client, world: PublicWorld, limits_on: Any
) -> None:
    limits_on.FACETCARE_PUBLIC_RATE = "2/m"

    client.get("/clinics/")
    client.get("/book/riverside/")

    assert client.get("/book/riverside/assessment/").status_code == 429


def test_another_client_is_not_held_up(client: Client, world: PublicWorld, limits_on: Any) -> None:
    limits_on.FACETCARE_PUBLIC_RATE = "1/m"
    client.get("/clinics/")

    other = client.get("/clinics/", REMOTE_ADDR="192.0.2.77")

    assert other.status_code == 200


def test_too_many_submissions_get_429_and_write_nothing(
    client: Client, world: PublicWorld, limits_on: Any
) -> None:
    limits_on.FACETCARE_PUBLIC_WRITE_RATE = "1/m"
    url = "/book/riverside/assessment/confirm/"

    first = client.post(url, {"key": "web-nothing-pending"})
    second = client.post(url, {"key": "web-nothing-pending"})

    assert first.status_code == 302
    assert second.status_code == 429
    assert "Please wait a moment" in second.content.decode()
    assert not Appointment.objects.exists()
