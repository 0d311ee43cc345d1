"""Every page carries the browser security headers; the session cookie is locked down."""

from typing import Any

import pytest
from django.test import Client

from facetcare.web.roles import Role
from tests.web.staff import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

PAGES = ["/", "/login/", "/api/v1/clinics"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_cannot_be_framed_or_sniffed_and_leak_no_referrer(client: Client, path: str) -> None:
    response = client.get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_the_permissions_policy_allows_location_only_to_the_site(client: Client, path: str) -> None:
    policy = {
        feature.split("=")[0]: feature.split("=")[1]
        for feature in client.get(path)["Permissions-Policy"].split(", ")
    }

    assert policy["geolocation"] == "(self)"
    for feature in ("camera", "microphone", "payment", "usb"):
        assert policy[feature] == "()"


def test_the_content_security_policy_allows_no_inline_script_and_no_framing(
    client: Client,
) -> None:
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in client.get("/login/")["Content-Security-Policy"].split(";")
    )

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in client.get("/login/")["Content-Security-Policy"]


def test_the_session_and_csrf_cookies_are_http_only_and_same_site_lax(client: Client) -> None:
    make_staff("cara", Role.RECEPTIONIST)
    client.get("/login/")

    response = client.post("/login/", {"username": "cara", "password": PASSWORD})

    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"


def test_over_https_in_production_the_cookies_are_secure_and_hsts_is_sent(
    client: Client, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    make_staff("cara", Role.RECEPTIONIST)

    response = client.post("/login/", {"username": "cara", "password": PASSWORD}, secure=True)

    assert response.cookies["sessionid"]["secure"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
