"""A one-clinic world: a London clinic open every day 08:00-20:00, one treatment
room, a 45-minute physiotherapy assessment (GBP 60, 10 % off online) and one
physiotherapist working the clinic's hours. ``now`` is a fixed Monday morning."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from facetcare.clinics.models import Clinic, Practitioner, Room, Service
from tests.factories import make_clinic, make_practitioner, make_room, make_service

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 07:00 in London (GMT)


@dataclass
class World:
    clinic: Clinic
    room: Room
    service: Service
    practitioner: Practitioner


@pytest.fixture
def world(db: None) -> World:
    clinic = make_clinic()
    room = make_room(clinic)
    service = make_service()
    practitioner = make_practitioner(clinic, service)
    return World(clinic, room, service, practitioner)
