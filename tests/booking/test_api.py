"""The booking HTTP API, through the test client: status, body and database state."""

import json
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from facetcare.booking.models import Appointment
from facetcare.patients.models import Patient
from tests.booking.conftest import World
from tests.factories import days_ahead, local, make_service, make_staff

PATIENT = {
    "first_name": "Sam",
    "last_name": "Taylor",
    "date_of_birth": "1980-05-17",
    "email": "sam.taylor@example.org",
    "phone": "+447911123456",
}


@pytest.fixture
def day() -> date:
    return days_ahead(timezone.now(), 2)


def booking_body(world: World, start: datetime, **overrides: Any) -> dict[str, Any]:
    body = {
        "service": world.service.pk,
        "clinic": world.clinic.pk,
        "practitioner": world.practitioner.pk,
        "start": start.isoformat(),
        "patient": PATIENT,
    }
    return body | overrides


def post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_it_lists_active_clinics_in_one_query(
    client: Client, world: World, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        response = client.get("/api/v1/clinics")

    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [world.clinic.pk]
    assert response.json()[0]["time_zone"] == "Europe/London"


def test_the_public_sees_only_services_bookable_online(
    client: Client, world: World, django_assert_num_queries: Any
) -> None:
    make_service(name="Facet joint injection", slug="facet-injection", online_bookable=False)

    with django_assert_num_queries(1):
        response = client.get("/api/v1/services")

    assert [s["name"] for s in response.json()] == [world.service.name]
    assert response.json()[0]["online_price"] == "54.00"


def test_staff_see_every_active_service(client: Client, world: World) -> None:
    make_service(name="Facet joint injection", slug="facet-injection", online_bookable=False)
    _, token = make_staff()

    response = client.get("/api/v1/services", headers={"Authorization": f"Bearer {token}"})

    assert len(response.json()) == 2


def _next_in(month: int) -> date:
    """The 12th of the next ``month`` to come, over a year ahead at most."""
    today = timezone.now().date()
    return date(today.year + (today.month >= month), month, 12)


@pytest.mark.parametrize("month", [1, 7], ids=["GMT", "BST"])
def test_times_are_written_with_the_clinics_numeric_offset_winter_and_summer(
    client: Client, world: World, month: int
) -> None:
    world.service.max_advance_days = 400
    world.service.save()
    day = _next_in(month)

    response = client.get(
        "/api/v1/availability",
        {"service": world.service.pk, "clinic": world.clinic.pk, "from": day, "days": 1},
    )

    first = response.json()["slots"][0]
    # "+00:00" in winter, not "Z": the clinic's own time, which happens to equal UTC.
    assert (first["start"], first["end"]) == (
        local(day, 8).isoformat(),
        local(day, 8, world.service.duration_minutes).isoformat(),
    )


def test_it_lists_slots_with_the_clinic_offset(
    client: Client, world: World, day: date, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        response = client.get(
            "/api/v1/availability",
            {"service": world.service.pk, "clinic": world.clinic.pk, "from": day, "days": 1},
        )

    assert response.status_code == 200
    slots = response.json()["slots"]
    assert datetime.fromisoformat(slots[0]["start"]) == local(day, 8)
    assert datetime.fromisoformat(slots[0]["start"]).utcoffset() == local(day, 8).utcoffset()
    assert slots[0]["practitioner"] == world.practitioner.pk
    assert slots[0]["room"] == world.room.pk
    assert slots[0]["places_left"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": 32}, "days"),
        ({"limit": 0}, "limit"),
        ({"from": "2026-02-30"}, "from"),
        ({"near": "north"}, "near"),
        ({"clinic": 999999}, "clinic"),
        ({"service": 999999}, "service"),
    ],
)
def test_it_names_each_bad_availability_parameter(
    client: Client, world: World, params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/v1/availability", {"service": world.service.pk} | params)

    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_it_books_a_slot_and_returns_a_manage_token(
    client: Client, world: World, day: date
) -> None:
    response = post(client, "/api/v1/bookings", booking_body(world, local(day, 10)))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "booked"
    assert body["price"] == "54.00"
    assert datetime.fromisoformat(body["start"]) == local(day, 10)
    appointment = Appointment.objects.get()
    assert body["id"] == appointment.pk
    assert appointment.channel == "online"
    assert body["manage_token"]


def test_a_replayed_request_returns_the_first_booking(
    client: Client, world: World, day: date
) -> None:
    body = booking_body(world, local(day, 10))
    first = post(client, "/api/v1/bookings", body, **{"Idempotency-Key": "abc-123"})

    again = post(client, "/api/v1/bookings", body, **{"Idempotency-Key": "abc-123"})

    assert again.status_code == 201
    assert again.json() == first.json()
    assert Appointment.objects.count() == 1


def test_a_reused_idempotency_key_with_another_body_is_refused(
    client: Client, world: World, day: date
) -> None:
    post(
        client, "/api/v1/bookings", booking_body(world, local(day, 10)), **{"Idempotency-Key": "k"}
    )

    response = post(
        client, "/api/v1/bookings", booking_body(world, local(day, 11)), **{"Idempotency-Key": "k"}
    )

    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_key_reused"
    assert Appointment.objects.count() == 1


def test_a_taken_slot_is_a_conflict(client: Client, world: World, day: date) -> None:
    post(client, "/api/v1/bookings", booking_body(world, local(day, 10)))
    other = PATIENT | {"first_name": "Jo", "email": "jo@example.org"}

    response = post(client, "/api/v1/bookings", booking_body(world, local(day, 10), patient=other))

    assert response.status_code == 409
    assert response.json()["error"] == "slot_taken"
    assert Appointment.objects.count() == 1
    assert Patient.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2030-01-01T10:00:00"}, "start"),
        ({"start": "tomorrow"}, "start"),
        ({"practitioner": 999999}, "practitioner"),
        ({"clinic": 0}, "clinic"),
        ({"patient": PATIENT | {"phone": "07700 900123"}}, "patient.phone"),
        ({"patient": PATIENT | {"email": "not-an-email"}}, "patient.email"),
        ({"patient": PATIENT | {"date_of_birth": "1980-13-01"}}, "patient.date_of_birth"),
        ({"patient": PATIENT | {"first_name": ""}}, "patient.first_name"),
    ],
)
def test_it_names_each_bad_booking_field(
    client: Client, world: World, day: date, change: dict[str, Any], field: str
) -> None:
    response = post(client, "/api/v1/bookings", booking_body(world, local(day, 10)) | change)

    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    assert not Appointment.objects.exists()


def test_a_naive_start_is_refused_with_a_hint_about_the_offset(
    client: Client, world: World, day: date
) -> None:
    body = booking_body(world, local(day, 10)) | {"start": f"{day}T10:00:00"}

    response = post(client, "/api/v1/bookings", body)

    assert response.status_code == 422
    assert "UTC offset" in response.json()["fields"]["start"]


@pytest.mark.parametrize("hour", [6, 21])
def test_a_slot_outside_hours_is_refused(
    client: Client, world: World, day: date, hour: int
) -> None:
    response = post(client, "/api/v1/bookings", booking_body(world, local(day, hour)))

    assert response.status_code == 422
    assert "start" in response.json()["fields"]


def test_the_public_cannot_choose_a_staff_channel(client: Client, world: World, day: date) -> None:
    body = booking_body(world, local(day, 10), channel="phone")

    response = post(client, "/api/v1/bookings", body)

    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_staff_book_by_phone_at_the_list_price(client: Client, world: World, day: date) -> None:
    user, token = make_staff()
    body = booking_body(world, local(day, 10), channel="phone")

    response = post(client, "/api/v1/bookings", body, Authorization=f"Bearer {token}")

    assert response.status_code == 201
    assert response.json()["price"] == "60.00"
    assert Appointment.objects.get().booked_by == user


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ("service=1&clinic=1", "application/x-www-form-urlencoded"),
        ("[1, 2, 3]", "application/json"),
        ("null", "text/plain"),
    ],
)
def test_a_body_that_is_not_a_booking_is_a_client_error(
    client: Client, world: World, data: str, content_type: str
) -> None:
    response = client.post("/api/v1/bookings", data, content_type=content_type)

    assert 400 <= response.status_code < 500
    assert not Appointment.objects.exists()


def test_an_oversized_body_is_refused_with_413(client: Client, world: World) -> None:
    body = json.dumps({"padding": "x" * 70_000})

    response = client.post("/api/v1/bookings", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


class TestManagingABooking:
    @pytest.fixture
    def booking(self, client: Client, world: World, day: date) -> dict[str, Any]:
        response = post(client, "/api/v1/bookings", booking_body(world, local(day, 10)))
        return dict(response.json())

    def test_the_manage_token_opens_the_booking(
        self, client: Client, booking: dict[str, Any]
    ) -> None:
        response = client.get(
            f"/api/v1/bookings/{booking['id']}", headers={"X-Manage-Token": booking["manage_token"]}
        )

        assert response.status_code == 200
        assert response.json()["id"] == booking["id"]
        assert response.json()["manage_token"] is None

    def test_the_token_may_come_in_the_query_string(
        self, client: Client, booking: dict[str, Any]
    ) -> None:
        response = client.get(f"/api/v1/bookings/{booking['id']}?token={booking['manage_token']}")

        assert response.status_code == 200

    def test_no_credential_is_401(self, client: Client, booking: dict[str, Any]) -> None:
        assert client.get(f"/api/v1/bookings/{booking['id']}").status_code == 401

    def test_a_wrong_token_looks_like_an_unknown_booking(
        self, client: Client, booking: dict[str, Any]
    ) -> None:
        wrong = client.get(f"/api/v1/bookings/{booking['id']}?token=guess")
        unknown = client.get(f"/api/v1/bookings/{booking['id'] + 1}?token=guess")

        assert wrong.status_code == unknown.status_code == 404
        assert wrong.json() == unknown.json()

    def test_staff_open_any_booking(self, client: Client, booking: dict[str, Any]) -> None:
        _, token = make_staff()

        response = client.get(
            f"/api/v1/bookings/{booking['id']}", headers={"Authorization": f"Bearer {token}"}
        )

        assert response.status_code == 200

    def test_cancelling_frees_the_slot(
        self, client: Client, world: World, day: date, booking: dict[str, Any]
    ) -> None:
        response = post(
            client,
            f"/api/v1/bookings/{booking['id']}/cancel",
            {"reason": "Feeling better"},
            **{"X-Manage-Token": booking["manage_token"]},
        )

        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"
        assert Appointment.objects.get().cancellation_reason == "Feeling better"
        again = post(client, "/api/v1/bookings", booking_body(world, local(day, 10)))
        assert again.status_code == 201

    def test_rescheduling_returns_the_new_booking(
        self, client: Client, day: date, booking: dict[str, Any]
    ) -> None:
        response = post(
            client,
            f"/api/v1/bookings/{booking['id']}/reschedule?token={booking['manage_token']}",
            {"start": local(day, 15).isoformat()},
        )

        assert response.status_code == 200, response.content
        body = response.json()
        assert body["rescheduled_from"] == booking["id"]
        assert datetime.fromisoformat(body["start"]) == local(day, 15)
        assert body["manage_token"] != booking["manage_token"]
        assert Appointment.objects.get(pk=booking["id"]).status == "cancelled"

    def test_rescheduling_into_a_taken_slot_keeps_the_booking(
        self, client: Client, world: World, day: date, booking: dict[str, Any]
    ) -> None:
        other = PATIENT | {"first_name": "Jo", "email": "jo@example.org"}
        post(client, "/api/v1/bookings", booking_body(world, local(day, 15), patient=other))

        response = post(
            client,
            f"/api/v1/bookings/{booking['id']}/reschedule?token={booking['manage_token']}",
            {"start": local(day, 15).isoformat()},
        )

        assert response.status_code == 409
        assert Appointment.objects.get(pk=booking["id"]).status == "booked"
        assert Appointment.objects.count() == 2
