"""A small public world: one London clinic open 08:00-20:00 every day, a treatment room
and a studio, an online assessment (GBP 75, 10 % off online), a Pilates class for three,
and an injection only staff may book; one physiotherapist, one instructor and one
consultant work the clinic's hours.

The pages read the real clock, so tests book on ``future_day`` (the day after
tomorrow, local), which is wholly ahead whatever time the suite runs.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from facetcare.booking import directory_cache
from facetcare.clinics.models import Clinic, Practitioner, Profession, Room, Service
from tests.factories import make_clinic, make_practitioner, make_room, make_service

LONDON = ZoneInfo("Europe/London")


@dataclass
class PublicWorld:
    clinic: Clinic
    room: Room
    studio: Room
    assessment: Service
    pilates: Service
    injection: Service
    physio: Practitioner
    instructor: Practitioner
    consultant: Practitioner

    @property
    def today(self) -> date:
        return timezone.now().astimezone(LONDON).date()

    @property
    def future_day(self) -> date:
        return self.today + timedelta(days=2)

    def clinic_zone(self) -> ZoneInfo:
        return ZoneInfo(self.clinic.time_zone)

    def today_at_clinic(self) -> date:
        return timezone.now().astimezone(self.clinic_zone()).date()

    def at(self, hour: int, minute: int = 0, *, day: date | None = None) -> datetime:
        """A London wall-clock time on ``day`` (the future day by default)."""
        return datetime.combine(day or self.future_day, time(hour, minute), tzinfo=LONDON)


def build_public_world() -> PublicWorld:
    clinic = make_clinic(
        name="Riverside Spine Clinic",
        slug="riverside",
        address="1 River Walk, Manchester",
        postcode="M3 4ZZ",
        latitude=Decimal("53.48000"),
        longitude=Decimal("-2.25000"),
        phone="+441614960100",
    )
    room = make_room(clinic, equipment=("couch",))
    studio = make_room(clinic, equipment=("studio",), capacity=3)
    assessment = make_service(
        name="Facet joint assessment",
        slug="assessment",
        price=Decimal("75.00"),
        online_discount_percent=Decimal("10"),
        required_equipment=["couch"],
        description="First assessment: history, red-flag screening, examination, plan.",
        audience="Anyone with neck or back pain who has not been seen here before.",
        preparation="Wear loose clothing and bring a list of your medicines.",
        slot_step_minutes=60,
    )
    pilates = make_service(
        name="Clinical Pilates class",
        slug="pilates",
        category=Service.Category.CLASS,
        duration_minutes=55,
        price=Decimal("18.00"),
        online_discount_percent=Decimal("0"),
        required_profession=Profession.PILATES_INSTRUCTOR,
        required_equipment=["studio"],
        capacity=3,
        slot_step_minutes=60,
    )
    injection = make_service(
        name="Lumbar facet joint injection",
        slug="injection",
        category=Service.Category.PROCEDURE,
        price=Decimal("1450.00"),
        online_discount_percent=Decimal("0"),
        required_profession=Profession.PAIN_CONSULTANT,
        online_bookable=False,
    )
    physio = make_practitioner(clinic, assessment, first_name="Priya", last_name="Raman")
    instructor = make_practitioner(
        clinic,
        pilates,
        first_name="Tom",
        last_name="Ellis",
        profession=Profession.PILATES_INSTRUCTOR,
    )
    consultant = make_practitioner(
        clinic,
        injection,
        title="Dr",
        first_name="Anjali",
        last_name="Mehta",
        profession=Profession.PAIN_CONSULTANT,
    )
    return PublicWorld(
        clinic, room, studio, assessment, pilates, injection, physio, instructor, consultant
    )


# Zones a few hours apart all round the world: at any instant one of them is in its
# working day, so a test that must book "today" gives its clinic that zone.
ZONES_ROUND_THE_WORLD = (
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/Chicago",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Helsinki",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def daytime_zone(now: datetime | None = None) -> str:
    """A time zone in which it is now between 09:00 and 15:00."""
    now = now or timezone.now()
    for name in ZONES_ROUND_THE_WORLD:
        if 9 <= now.astimezone(ZoneInfo(name)).hour < 15:
            return name
    raise AssertionError("No zone in the list is in its working day now")


def open_all_day_today(world: PublicWorld) -> str:
    """Move the clinic to a zone where it is now daytime, open and staffed round the
    clock, with five minutes' notice: today certainly has free times. Returns the zone."""
    zone = daytime_zone()
    Clinic.objects.filter(pk=world.clinic.pk).update(time_zone=zone)
    world.clinic.refresh_from_db()
    world.clinic.opening_hours.update(opens=time(0), closes=time(23, 59))
    for practitioner in (world.physio, world.instructor):
        practitioner.working_hours.update(starts=time(0), ends=time(23, 59))
    Service.objects.filter(pk__in=[world.assessment.pk, world.pilates.pk]).update(
        min_notice_minutes=5
    )
    # Bulk updates send no signals: drop the availability pages' directory snapshot.
    directory_cache.invalidate()
    return zone


@pytest.fixture
def world(db: None) -> PublicWorld:
    return build_public_world()
