"""NUL characters, which PostgreSQL text cannot hold, are refused at the API's edge
with a 422 naming the field, and nothing is written."""

import json

import pytest
from django.test import Client

from facetcare.pathway.models import Episode
from facetcare.web.roles import Role
from tests.factories import make_patient, make_staff


@pytest.mark.django_db
def test_it_refuses_a_nul_character_in_a_nested_body_field_naming_it(client: Client) -> None:
    _, token = make_staff(Role.CONSULTANT)
    patient = make_patient()
    body = {"region": "lumbar", "side": "left", "referral_source": "gp", "notes": ["ok", "a\x00b"]}

    response = client.post(
        f"/api/v1/patients/{patient.pk}/episodes",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"notes.1": "must not contain NUL characters"}
    assert not Episode.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_nul_character_in_a_query_parameter(client: Client) -> None:
    response = client.get("/api/v1/availability", {"service": "1", "from": "2026-01-01\x00"})

    assert response.status_code == 422
    assert response.json()["fields"] == {"from": "must not contain NUL characters"}


@pytest.mark.django_db
def test_ordinary_requests_pass_through(client: Client) -> None:
    assert client.get("/api/v1/clinics").status_code == 200


@pytest.mark.django_db
def test_it_refuses_a_nul_character_in_a_header_naming_the_header(client: Client) -> None:
    response = client.get("/api/v1/bookings/1", headers={"X-Manage-Token": "abc\x00def"})

    assert response.status_code == 422
    assert response.json()["fields"] == {"X-Manage-Token": "must not contain NUL characters"}
