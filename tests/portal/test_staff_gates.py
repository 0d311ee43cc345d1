"""The staff sign-in rules (second factor, idle sign-out) treat a patient as a patient."""

from typing import Any

import pytest
from django.test import Client

from tests.factories import make_patient
from tests.portal.support import ask_for_link, links_in_last_email, sign_in_with

pytestmark = pytest.mark.django_db


def signed_in_by_link(client: Client) -> Client:
    make_patient(email="sam.taylor@example.org", first_name="Sam")
    ask_for_link(client, email="sam.taylor@example.org")
    [link] = links_in_last_email()
    assert sign_in_with(client, link).status_code == 302
    return client


@pytest.mark.parametrize("requirement", ["off", "clinical", "all"])
def test_a_patient_is_never_asked_for_a_staff_second_factor(
    client: Client, settings: Any, requirement: str
) -> None:
    settings.FACETCARE_REQUIRE_2FA = requirement

    signed_in_by_link(client)
    response = client.get("/portal/")

    assert response.status_code == 200
    assert "Hello, Sam" in response.text


def test_a_patient_left_idle_is_sent_back_to_the_portal_sign_in(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in_by_link(client)
    import time

    later = time.time() + settings.FACETCARE_IDLE_TIMEOUT_MINUTES * 60 + 5
    monkeypatch.setattr("facetcare.accounts.middleware.time.time", lambda: later)

    response = client.get("/portal/")

    assert response.status_code == 302
    assert response["Location"].startswith("/portal/sign-in/")
