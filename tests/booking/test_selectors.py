"""Availability and diary reads: what they return and how few queries they take."""

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from facetcare.booking.models import Appointment
from facetcare.booking.selectors import (
    get_appointment,
    get_availability,
    get_local_availability,
    list_day_diary,
)
from facetcare.booking.services import cancel_appointment
from facetcare.clinics.models import Closure, TimeOff
from facetcare.errors import NotFound
from tests.booking.conftest import NOW, World
from tests.factories import book, local, make_clinic, make_practitioner, make_room

MONDAY = NOW.date()


def starts(world: World, **kwargs: Any) -> list[datetime]:
    slots = get_availability(
        service=world.service,
        clinic=world.clinic,
        practitioner=world.practitioner,
        first_day=MONDAY,
        days=1,
        now=NOW,
        **kwargs,
    )
    return [s.start for s in slots]


def test_one_practitioners_day_takes_five_queries_read_fresh_in_a_transaction(
    world: World, django_assert_num_queries: Any
) -> None:
    book(**_args(world), start=local(MONDAY, 10), now=NOW)

    with django_assert_num_queries(5):
        starts(world)


def test_the_query_count_does_not_grow_with_clinics_and_practitioners(
    world: World, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        clinic = make_clinic()
        make_room(clinic)
        make_practitioner(clinic, world.service)
        make_practitioner(clinic, world.service)

    with django_assert_num_queries(6):
        slots = get_availability(service=world.service, first_day=MONDAY, days=2, now=NOW)

    assert len({s.clinic_id for s in slots}) == 4


def test_a_booking_and_its_buffers_are_not_offered(world: World) -> None:
    world.service.buffer_after_minutes = 15
    world.service.save()
    book(**_args(world), start=local(MONDAY, 10), now=NOW)

    offered = starts(world)

    assert local(MONDAY, 9) in offered
    assert not {local(MONDAY, 9, 30), local(MONDAY, 10), local(MONDAY, 10, 45)} & set(offered)
    assert local(MONDAY, 11) in offered


def test_a_cancelled_booking_frees_its_time(world: World) -> None:
    appointment = book(**_args(world), start=local(MONDAY, 10), now=NOW).appointment

    cancel_appointment(appointment=appointment, now=NOW)

    assert local(MONDAY, 10) in starts(world)


def test_time_off_is_not_offered(world: World) -> None:
    TimeOff.objects.create(
        practitioner=world.practitioner, start=local(MONDAY, 12), end=local(MONDAY, 14)
    )

    offered = starts(world)

    assert local(MONDAY, 11) in offered
    assert not [s for s in offered if local(MONDAY, 11, 30) < s < local(MONDAY, 14)]


def test_nothing_is_offered_on_a_closure_day(world: World) -> None:
    Closure.objects.create(clinic=world.clinic, first_day=MONDAY, last_day=MONDAY)

    assert starts(world) == []


def test_a_clinic_instance_reused_across_calls_sees_a_closure_added_since(world: World) -> None:
    assert starts(world)

    Closure.objects.create(clinic=world.clinic, first_day=MONDAY, last_day=MONDAY)

    assert starts(world) == []


def test_slots_are_presented_in_the_clinics_zone(world: World) -> None:
    summer_day = date(2026, 6, 1)

    slots = get_local_availability(
        service=world.service,
        clinic=world.clinic,
        first_day=summer_day,
        days=1,
        now=datetime.combine(summer_day, time(5), tzinfo=NOW.tzinfo),
        limit=1,
    )

    assert slots[0].start.utcoffset() == timedelta(hours=1)
    assert slots[0].start.time() == time(8)


def test_get_appointment_raises_not_found_for_an_unknown_id(db: None) -> None:
    with pytest.raises(NotFound):
        get_appointment(appointment_id=123456)


def test_the_day_diary_holds_the_local_days_live_appointments_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    early = book(**_args(world), start=local(MONDAY, 8), now=NOW).appointment
    late = book(**_args(world), start=local(MONDAY, 19), now=NOW).appointment
    book(**_args(world), start=local(tuesday, 8), now=NOW)
    gone = book(**_args(world), start=local(MONDAY, 12), now=NOW).appointment
    cancel_appointment(appointment=gone, now=NOW)

    with django_assert_num_queries(1):
        diary = list_day_diary(clinic=world.clinic, day=MONDAY)
        names = [a.patient.last_name + a.practitioner.last_name + a.service.name for a in diary]

    assert [a.pk for a in diary] == [early.pk, late.pk]
    assert len(names) == 2
    assert Appointment.objects.count() == 4


def _args(world: World) -> dict[str, object]:
    return {"service": world.service, "clinic": world.clinic, "practitioner": world.practitioner}


def test_a_service_offers_starts_only_on_its_own_grid(world: World) -> None:
    world.service.slot_step_minutes = 30
    world.service.save()

    offered = starts(world)

    assert offered
    assert {s.astimezone(local(MONDAY, 0).tzinfo).minute for s in offered} == {0, 30}
