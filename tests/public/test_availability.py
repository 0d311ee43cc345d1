"""The public pages' own availability reads agree with the booking selectors."""

from datetime import time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from facetcare.booking.selectors import get_local_availability
from facetcare.clinics.models import Closure
from facetcare.public.availability import next_free_slots, week_availability
from tests.factories import book, make_clinic, make_practitioner, make_room, patient_details
from tests.public.conftest import PublicWorld

pytestmark = pytest.mark.django_db


def test_next_free_slots_gives_each_clinic_its_own_earliest_slot(world: PublicWorld) -> None:
    los_angeles = make_clinic(
        name="West Hills",
        slug="west-hills",
        time_zone="America/Los_Angeles",
        latitude=Decimal("34.19730"),
        longitude=Decimal("-118.64400"),
        hours=(time(7), time(17)),
    )
    make_room(los_angeles, equipment=("couch",))
    make_practitioner(los_angeles, world.assessment, hours=(time(7), time(17)))
    nobody = make_clinic(name="Nobody Here", slug="nobody")
    # Riverside's whole first open day is booked, so its answer is a day later.
    now = timezone.now()
    first = get_local_availability(service=world.assessment, clinic=world.clinic, days=5, now=now)
    first_day = first[0].start.date()
    for slot in [s for s in first if s.start.date() == first_day]:
        book(
            service=world.assessment,
            clinic=world.clinic,
            practitioner=world.physio,
            start=slot.start,
            now=now,
            patient_details=patient_details(email=f"p{slot.start.hour}@example.org"),
        )

    found = next_free_slots(
        service=world.assessment,
        clinics=[world.clinic, los_angeles, nobody],
        now=now,
        days=14,
    )

    for clinic in (world.clinic, los_angeles):
        expected = get_local_availability(
            service=world.assessment, clinic=clinic, days=14, limit=1, now=now
        )[0]
        assert found[clinic.pk] == expected
    assert found[world.clinic.pk].start.date() > first_day
    assert str(found[los_angeles.pk].start.tzinfo) == "America/Los_Angeles"
    assert nobody.pk not in found


def test_next_free_slots_leaves_out_a_clinic_closed_for_the_whole_horizon(
    world: PublicWorld,
) -> None:
    now = timezone.now()
    Closure.objects.create(
        clinic=world.clinic, first_day=world.today, last_day=world.today + timedelta(days=10)
    )

    assert next_free_slots(service=world.assessment, clinics=[world.clinic], now=now, days=7) == {}


def test_the_week_marks_the_days_with_space_and_lists_the_chosen_days_times(
    world: PublicWorld,
) -> None:
    now = timezone.now()
    closed = world.future_day + timedelta(days=1)
    Closure.objects.create(clinic=world.clinic, first_day=closed, last_day=closed)

    week = week_availability(
        service=world.assessment,
        clinic=world.clinic,
        first_day=world.today,
        day=world.future_day,
        now=now,
    )

    assert week.offered
    assert world.future_day in week.days_with_space
    assert closed not in week.days_with_space
    assert [slot.start.hour for slot in week.slots] == list(range(8, 20))
    for day in week.days:
        per_day = get_local_availability(
            service=world.assessment, clinic=world.clinic, first_day=day, days=1, now=now
        )
        assert (day in week.days_with_space) == bool(per_day)


def test_a_full_class_session_is_reported_and_not_offered(world: PublicWorld) -> None:
    now = timezone.now()
    start = world.at(10)
    for n in range(3):
        book(
            service=world.pilates,
            clinic=world.clinic,
            practitioner=world.instructor,
            start=start,
            now=now,
            patient_details=patient_details(email=f"class{n}@example.org"),
        )

    week = week_availability(
        service=world.pilates, clinic=world.clinic, first_day=world.today, day=None, now=now
    )
    chosen = week_availability(
        service=world.pilates,
        clinic=world.clinic,
        first_day=world.today,
        day=world.future_day,
        now=now,
    )

    assert week.day == min(week.days_with_space)
    assert start not in [slot.start for slot in chosen.slots]
    assert [session.start for session in chosen.full_sessions] == [start]
    assert chosen.full_sessions[0].start.tzinfo == ZoneInfo("Europe/London")
