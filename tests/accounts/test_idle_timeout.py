"""Signed-in staff are signed out after a spell without activity."""

import time
from typing import Any

import pytest
from django.test import Client

from facetcare.accounts.middleware import LAST_SEEN_KEY
from facetcare.web.roles import Role
from tests.web.staff import make_staff

pytestmark = pytest.mark.django_db


def idle_for(client: Client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - minutes * 60
    session.save()


@pytest.fixture
def signed_in(client: Client) -> Client:
    client.force_login(make_staff("cara", Role.RECEPTIONIST))
    assert client.get("/patients/").status_code == 200
    return client


def test_after_thirty_idle_minutes_the_next_page_asks_to_sign_in_again(signed_in: Client) -> None:
    idle_for(signed_in, 31)

    response = signed_in.get("/patients/?q=smith")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fpatients%2F%3Fq%3Dsmith"
    login_page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in login_page
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get("/patients/").status_code == 302


def test_activity_within_the_limit_keeps_the_session(signed_in: Client) -> None:
    idle_for(signed_in, 29)

    assert signed_in.get("/patients/").status_code == 200
    assert time.time() - signed_in.session[LAST_SEEN_KEY] < 5


def test_the_limit_is_a_setting(signed_in: Client, settings: Any) -> None:
    settings.FACETCARE_IDLE_TIMEOUT_MINUTES = 5
    idle_for(signed_in, 6)

    assert signed_in.get("/patients/").status_code == 302


def test_an_htmx_request_is_sent_to_the_sign_in_page_as_a_whole(signed_in: Client) -> None:
    idle_for(signed_in, 31)

    response = signed_in.get(
        "/patients/", headers={"HX-Request": "true", "HX-Current-URL": "/patients/?q=a"}
    )

    assert response["HX-Redirect"] == "/login/?next=%2Fpatients%2F%3Fq%3Da"


def test_signing_in_again_after_the_limit_works_at_the_first_try(signed_in: Client) -> None:
    idle_for(signed_in, 31)

    response = signed_in.post(
        "/login/", {"username": "cara", "password": "correct horse battery staple"}
    )

    assert response.status_code == 302
    assert signed_in.get("/patients/").status_code == 200
