from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from model_bakery import baker

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Room, Service
from facetcare.patients.models import Patient
from facetcare.web.roles import Role
from facetcare.web.selectors import list_todays_diaries
from tests.web.staff import make_staff

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def book(clinic: Clinic, patient: Patient, start: datetime, **extra: object) -> Appointment:
    service = baker.make(Service, duration_minutes=30, price=Decimal("80"))
    room = baker.make(Room, clinic=clinic)
    practitioner = baker.make(Practitioner, first_name="Maya", last_name="Shah")
    end = start + timedelta(minutes=30)
    return Appointment.objects.create(
        patient=patient,
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        room=room,
        start=start,
        end=end,
        occupied_start=start,
        occupied_end=end,
        session_key=f"{service.pk}-{start.isoformat()}",
        channel="phone",
        price=Decimal("80"),
        currency="GBP",
        **extra,
    )


def make_patient(last_name: str) -> Patient:
    return Patient.objects.create(
        first_name="Iris",
        last_name=last_name,
        date_of_birth=date(1970, 1, 1),
        email=f"{last_name.lower()}@example.com",
        phone="+442079460123",
    )


def test_each_clinic_lists_only_its_own_local_today() -> None:
    user = make_staff("rita", Role.RECEPTIONIST)
    london = baker.make(Clinic, name="London Bridge", time_zone="Europe/London", is_active=True)
    # 12:00 UTC is already 01:00 on the 11th in Auckland (NZDT, UTC+13).
    auckland = baker.make(Clinic, name="Auckland", time_zone="Pacific/Auckland", is_active=True)
    today_london = book(london, make_patient("Today"), NOW + timedelta(hours=2))
    book(london, make_patient("Tomorrow"), NOW + timedelta(days=1))
    book(london, make_patient("Cancelled"), NOW + timedelta(hours=3), status="cancelled")
    today_auckland = book(auckland, make_patient("Kiwi"), datetime(2026, 3, 10, 20, 0, tzinfo=UTC))

    diaries = {day.clinic.name: day for day in list_todays_diaries(user=user, now=NOW)}

    assert diaries["London Bridge"].day == date(2026, 3, 10)
    assert [row.appointment for row in diaries["London Bridge"].rows] == [today_london]
    assert diaries["Auckland"].day == date(2026, 3, 11)
    assert [row.appointment for row in diaries["Auckland"].rows] == [today_auckland]
    assert diaries["Auckland"].rows[0].local_start.hour == 9  # 20:00 UTC is 09:00 NZDT


def test_staff_see_the_diary_on_the_home_page(client: Client) -> None:
    clinic = baker.make(Clinic, name="Harley Street", time_zone="UTC", is_active=True)
    book(clinic, make_patient("Okafor"), datetime.now(UTC) + timedelta(minutes=1))
    client.force_login(make_staff("rita", Role.RECEPTIONIST))

    response = client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Today's diary" in body
    assert "Harley Street" in body
    assert "Iris Okafor" in body


def test_anonymous_visitors_see_the_front_page_not_the_diary(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert "Today's diary" not in response.content.decode()
    assert "Staff sign in" in response.content.decode()
