"""A small clinic for the diary's tests, and a clock stopped at a Monday morning.

Riverside (London) opens 08:00-20:00 every day. Two physiotherapists work there
09:00-17:00: Priya Raman (linked to the "physio" login) and Tom Ashworth. Each
provides a 45-minute assessment (5 minutes to write up afterwards) and a
30-minute follow-up; there are two treatment rooms. The clock reads Monday
2 March 2026, 08:00 in London (GMT), so the whole working day lies ahead.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from facetcare import diary
from facetcare.booking.models import Appointment
from facetcare.booking.services import book_appointment
from facetcare.clinics.models import Clinic, Practitioner, Room, Service
from facetcare.patients.models import Patient
from facetcare.web.roles import Role
from tests.factories import local, make_clinic, make_patient, make_practitioner, make_room
from tests.factories import make_service as base_service
from tests.web.staff import make_staff

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 08:00 in London
TODAY = date(2026, 3, 2)


@dataclass
class Desk:
    clinic: Clinic
    rooms: list[Room]
    assessment: Service
    follow_up: Service
    priya: Practitioner
    tom: Practitioner
    patient: Patient
    reception: User
    physio: User
    manager: User
    referrer: User

    def clinic_day(self, days: int) -> date:
        """The local day ``days`` after today."""
        return TODAY + timedelta(days=days)

    def static_file(self, name: str) -> Path:
        return Path(diary.__file__).parent / "static" / name

    def book(self, hour: int, minute: int = 0, **extra: Any) -> Appointment:
        """Book Priya for a follow-up for the test patient at ``hour:minute`` today."""
        values: dict[str, Any] = {
            "service": self.follow_up,
            "clinic": self.clinic,
            "practitioner": self.priya,
            "start": local(TODAY, hour, minute),
            "patient": self.patient,
            "channel": "phone",
            "now": NOW,
        }
        return book_appointment(**(values | extra)).appointment


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every ``timezone.now()`` reads NOW (pages, services, sessions alike)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def desk(db: None, frozen: datetime) -> Desk:
    clinic = make_clinic(name="Riverside", slug="riverside")
    rooms = [make_room(clinic), make_room(clinic)]
    for n, room in enumerate(rooms, start=1):
        room.name = f"Treatment room {n}"
        room.save()
    assessment = base_service(
        name="Facet joint assessment", slug="assessment", buffer_after_minutes=5
    )
    follow_up = base_service(name="Physiotherapy follow-up", slug="follow-up", duration_minutes=30)
    hours = (time(9), time(17))
    priya = make_practitioner(
        clinic, assessment, follow_up, hours=hours, first_name="Priya", last_name="Raman"
    )
    tom = make_practitioner(
        clinic, assessment, follow_up, hours=hours, first_name="Tom", last_name="Ashworth"
    )
    physio = make_staff("physio", Role.PHYSIOTHERAPIST, first_name="Priya", last_name="Raman")
    priya.user = physio
    priya.save()
    return Desk(
        clinic=clinic,
        rooms=rooms,
        assessment=assessment,
        follow_up=follow_up,
        priya=priya,
        tom=tom,
        patient=make_patient(first_name="Sam", last_name="Taylor"),
        reception=make_staff("reception", Role.RECEPTIONIST, first_name="Rita", last_name="Desk"),
        physio=physio,
        manager=make_staff("manager", Role.MANAGER),
        referrer=make_staff("referrer", Role.REFERRER),
    )


@pytest.fixture
def reception(client: Client, desk: Desk) -> Client:
    client.force_login(desk.reception)
    return client
