"""Small factory functions for a readable test world: one call, sensible defaults.

Every clinic made here opens 08:00-20:00 every day in Europe/London, and every
practitioner works those hours, so a test only spells out what it is about.
"""

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User

from facetcare.booking.services import BookingResult, book_appointment
from facetcare.clinics.models import (
    Clinic,
    OpeningHours,
    Practitioner,
    Profession,
    Room,
    Service,
    WorkingHours,
)
from facetcare.patients.models import Patient
from facetcare.patients.services import PatientDetails
from facetcare.web.roles import Role
from facetcare.web.services import issue_api_token

LONDON = ZoneInfo("Europe/London")
_numbers = itertools.count(1)


def make_clinic(*, hours: tuple[time, time] = (time(8), time(20)), **fields: Any) -> Clinic:
    n = next(_numbers)
    values: dict[str, Any] = {
        "name": f"Clinic {n}",
        "slug": f"clinic-{n}",
        "address": f"{n} High Street, London",
        "latitude": Decimal("51.50000"),
        "longitude": Decimal("-0.12000"),
        "phone": "+442071234567",
        "email": f"clinic{n}@example.org",
        "time_zone": "Europe/London",
    }
    clinic = Clinic.objects.create(**(values | fields))
    OpeningHours.objects.bulk_create(
        OpeningHours(clinic=clinic, weekday=day, opens=hours[0], closes=hours[1])
        for day in range(7)
    )
    return clinic


def make_room(clinic: Clinic, *, equipment: tuple[str, ...] = (), **fields: Any) -> Room:
    n = next(_numbers)
    return Room.objects.create(clinic=clinic, name=f"Room {n}", equipment=list(equipment), **fields)


def make_service(**fields: Any) -> Service:
    n = next(_numbers)
    values: dict[str, Any] = {
        "name": f"Physiotherapy assessment {n}",
        "slug": f"physio-assessment-{n}",
        "category": Service.Category.ASSESSMENT,
        "duration_minutes": 45,
        "price": Decimal("60.00"),
        "online_discount_percent": Decimal("10"),
        "required_profession": Profession.PHYSIOTHERAPIST,
        "min_notice_minutes": 60,
        "max_advance_days": 90,
    }
    return Service.objects.create(**(values | fields))


def make_practitioner(
    clinic: Clinic,
    *services: Service,
    hours: tuple[time, time] = (time(8), time(20)),
    **fields: Any,
) -> Practitioner:
    n = next(_numbers)
    values: dict[str, Any] = {
        "first_name": f"Alex{n}",
        "last_name": f"Physio{n}",
        "profession": Profession.PHYSIOTHERAPIST,
    }
    practitioner = Practitioner.objects.create(**(values | fields))
    practitioner.clinics.add(clinic)
    practitioner.services.add(*services)
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=practitioner,
            clinic=clinic,
            weekday=day,
            starts=hours[0],
            ends=hours[1],
            valid_from=date(2020, 1, 1),
        )
        for day in range(7)
    )
    return practitioner


def patient_details(**fields: Any) -> PatientDetails:
    values: dict[str, Any] = {
        "first_name": "Sam",
        "last_name": "Taylor",
        "date_of_birth": date(1980, 5, 17),
        "email": "sam.taylor@example.org",
        "phone": "+447911123456",
    }
    return PatientDetails(**(values | fields))


def make_patient(**fields: Any) -> Patient:
    return Patient.objects.create(**vars_of(patient_details(**fields)))


def vars_of(details: PatientDetails) -> dict[str, Any]:
    return {name: getattr(details, name) for name in details.__dataclass_fields__}


def make_staff(role: Role = Role.RECEPTIONIST) -> tuple[User, str]:
    """A user holding ``role`` and a raw API bearer token for them.

    The token is issued while the user is a receptionist and the role given
    afterwards: a referrer is never issued one, but a token issued before a role
    changed still exists, and the API must refuse it.
    """
    n = next(_numbers)
    user = User.objects.create_user(username=f"staff{n}", password="not-used-in-tests-123")
    user.groups.add(Group.objects.get_or_create(name=Role.RECEPTIONIST.value)[0])
    _, raw = issue_api_token(user=user, name="tests")
    user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
    # Fresh from the database: the issue check remembered the receptionist role.
    return User.objects.get(pk=user.pk), raw


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware London wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def days_ahead(now: datetime, days: int) -> date:
    return (now.astimezone(LONDON) + timedelta(days=days)).date()


def book(
    *,
    service: Service,
    clinic: Clinic,
    practitioner: Practitioner,
    start: datetime,
    now: datetime,
    channel: str = "online",
    **extra: Any,
) -> BookingResult:
    extra.setdefault("patient_details", patient_details())
    return book_appointment(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        start=start,
        channel=channel,
        now=now,
        **extra,
    )
