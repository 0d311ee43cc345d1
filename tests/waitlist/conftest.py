"""A waitlist world: two London clinics open 08:00-20:00 every day, each with a room
and a physiotherapist giving a 45-minute assessment, and a way to fill the list.

Times are real days ahead of the clock, since the offer pages and tasks read it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.waitlist.matching import PARTS_OF_DAY
from facetcare.waitlist.models import WaitlistEntry
from facetcare.waitlist.services import join_waitlist
from tests.factories import (
    LONDON,
    book,
    local,
    make_clinic,
    make_practitioner,
    make_room,
    make_service,
    patient_details,
)


@dataclass
class Waitworld:
    clinic: Clinic
    other_clinic: Clinic
    service: Service
    practitioner: Practitioner
    other_practitioner: Practitioner

    def day(self, days: int = 3) -> date:
        return (timezone.now().astimezone(LONDON) + timedelta(days=days)).date()

    def at(self, hour: int, minute: int = 0, *, days: int = 3) -> datetime:
        return local(self.day(days), hour, minute)

    def book(self, start: datetime, **extra: Any) -> Appointment:
        extra.setdefault("patient_details", patient_details(first_name="Booked", email="b@x.org"))
        return book(
            service=self.service,
            clinic=extra.pop("clinic", self.clinic),
            practitioner=extra.pop("practitioner", self.practitioner),
            start=start,
            now=timezone.now(),
            **extra,
        ).appointment

    def join(self, name: str, *, joined: datetime | None = None, **choices: Any) -> WaitlistEntry:
        """Put ``name`` (also their email's local part) on the list for the assessment."""
        values: dict[str, Any] = {
            "service": self.service,
            "clinics": [self.clinic],
            "weekdays": list(range(7)),
            "parts_of_day": list(PARTS_OF_DAY),
            "consent": True,
        }
        return join_waitlist(
            details=patient_details(first_name=name, email=f"{name.lower()}@example.org"),
            now=joined or timezone.now(),
            **(values | choices),
        )


@pytest.fixture
def waitworld(db: None) -> Waitworld:
    return build_waitworld()


def build_waitworld() -> Waitworld:
    clinic = make_clinic(name="Harley Street Spine", slug="harley")
    other = make_clinic(name="Canary Wharf Spine", slug="canary")
    make_room(clinic)
    make_room(other)
    service = make_service(name="Physiotherapy assessment", slug="assessment")
    practitioner = make_practitioner(clinic, service)
    other_practitioner = make_practitioner(other, service)
    return Waitworld(clinic, other, service, practitioner, other_practitioner)
