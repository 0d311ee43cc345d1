"""Which address rate limits and lockout count: the peer's, or the one trusted proxies saw."""

from typing import Any

from django.test import RequestFactory

from facetcare.config.proxies import client_address

FORWARDED = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}


def test_without_proxies_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.FACETCARE_PROXY_COUNT = 0

    assert client_address(RequestFactory().get("/", **FORWARDED)) == "10.0.0.2"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(
    settings: Any,
) -> None:
    settings.FACETCARE_PROXY_COUNT = 1

    assert client_address(RequestFactory().get("/", **FORWARDED)) == "203.0.113.7"


def test_behind_a_proxy_a_request_without_the_header_counts_the_peer(settings: Any) -> None:
    settings.FACETCARE_PROXY_COUNT = 1

    assert client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
