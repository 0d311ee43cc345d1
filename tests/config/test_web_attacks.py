"""Cross-site scripting, cross-site request forgery and guessing another record's id."""

import json
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from facetcare.web.roles import Role
from tests.factories import (
    days_ahead,
    local,
    make_clinic,
    make_patient,
    make_practitioner,
    make_room,
    make_service,
)
from tests.web.staff import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("stolen")</script>'


def test_a_script_typed_into_a_patients_name_is_shown_as_text(client: Client) -> None:
    patient = make_patient(first_name="Kim", last_name=SCRIPT, email="kim@example.org")
    client.force_login(make_staff("cara", Role.RECEPTIONIST))

    page = client.get("/patients/", {"q": "kim"}).content.decode()

    assert f"/patients/{patient.pk}/" in page
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&quot;stolen&quot;)&lt;/script&gt;" in page


def test_a_sign_in_posted_from_another_site_is_refused() -> None:
    make_staff("cara", Role.RECEPTIONIST)
    forged = Client(enforce_csrf_checks=True)

    response = forged.post("/login/", {"username": "cara", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in forged.session


def test_a_staff_action_posted_without_the_pages_token_is_refused() -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_staff("cara", Role.RECEPTIONIST))

    response = browser.post("/logout/")

    assert response.status_code == 403
    assert browser.get("/patients/").status_code == 200


def test_a_bookings_manage_token_does_not_open_another_booking_by_its_id(client: Client) -> None:
    clinic, service = make_clinic(), make_service()
    make_room(clinic)
    practitioner = make_practitioner(clinic, service)
    day: date = days_ahead(timezone.now(), 2)

    def book(hour: int, email: str) -> dict[str, object]:
        body = {
            "service": service.pk,
            "clinic": clinic.pk,
            "practitioner": practitioner.pk,
            "start": local(day, hour).isoformat(),
            "patient": {
                "first_name": "Sam",
                "last_name": "Taylor",
                "date_of_birth": "1980-05-17",
                "email": email,
                "phone": "+447911123456",
            },
        }
        response = client.post("/api/v1/bookings", json.dumps(body), "application/json")
        assert response.status_code == 201, response.content
        return dict(response.json())

    mine, theirs = book(10, "sam@example.org"), book(11, "alex@example.org")

    own = client.get(f"/api/v1/bookings/{mine['id']}", {"token": mine["manage_token"]})
    other = client.get(f"/api/v1/bookings/{theirs['id']}", {"token": mine["manage_token"]})

    assert own.status_code == 200
    assert other.status_code == 404
    assert "alex" not in other.content.decode()


def test_a_referrer_changing_the_patient_id_in_the_address_sees_nothing(client: Client) -> None:
    stranger = make_patient(first_name="Kim", email="kim@example.org")
    client.force_login(make_staff("rory", Role.REFERRER))

    response = client.get(f"/patients/{stranger.pk}/")

    assert response.status_code in {403, 404}
    assert "kim@example.org" not in response.content.decode()
