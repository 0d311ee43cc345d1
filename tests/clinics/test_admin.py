"""The admin pages for the directory, bookings and patients open and search."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from facetcare.booking.models import Appointment
from tests.booking.conftest import World
from tests.factories import book, days_ahead, local

PAGES = [
    "clinics/clinic",
    "clinics/practitioner",
    "clinics/service",
    "clinics/room",
    "clinics/closure",
    "clinics/workinghours",
    "clinics/timeoff",
    "booking/appointment",
    "patients/patient",
    "patients/consent",
    "web/apitoken",
]


@pytest.fixture
def admin_client_with_world(client: Client, world: World) -> Client:
    user = User.objects.create_superuser("boss", "boss@example.org", "a-long-password-123")
    client.force_login(user)
    book(
        service=world.service,
        clinic=world.clinic,
        practitioner=world.practitioner,
        start=local(days_ahead(timezone.now(), 2), 10),
        now=timezone.now(),
    )
    return client


@pytest.mark.parametrize("page", PAGES)
def test_each_changelist_opens_and_searches(admin_client_with_world: Client, page: str) -> None:
    response = admin_client_with_world.get(f"/admin/{page}/", {"q": "a"})

    assert response.status_code == 200


def test_a_clinic_page_shows_its_hours_closures_and_rooms_inline(
    admin_client_with_world: Client, world: World
) -> None:
    response = admin_client_with_world.get(f"/admin/clinics/clinic/{world.clinic.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "opening_hours-TOTAL_FORMS" in content
    assert "closures-TOTAL_FORMS" in content
    assert "rooms-TOTAL_FORMS" in content


def test_the_practitioner_page_shows_working_hours_and_time_off_inline(
    admin_client_with_world: Client, world: World
) -> None:
    url = f"/admin/clinics/practitioner/{world.practitioner.pk}/change/"

    content = admin_client_with_world.get(url).content.decode()

    assert "working_hours-TOTAL_FORMS" in content
    assert "time_off-TOTAL_FORMS" in content


def test_the_appointment_list_reads_in_a_fixed_number_of_queries(
    admin_client_with_world: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        response = admin_client_with_world.get("/admin/booking/appointment/")

    assert response.status_code == 200


def test_the_cancel_action_cancels_through_the_service(
    admin_client_with_world: Client,
) -> None:
    appointment = Appointment.objects.get()

    admin_client_with_world.post(
        "/admin/booking/appointment/",
        {"action": "cancel_selected", "_selected_action": [appointment.pk]},
    )

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancellation_reason == "Cancelled by the clinic"
