"""The per-process directory cache behind availability: same answers, fewer queries, and it
notices changes. These tests commit (transactional), since only autocommit reads fill it."""

from collections.abc import Iterator
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from facetcare.booking import directory_cache
from facetcare.booking.selectors import get_availability
from facetcare.clinics.models import Clinic, Closure, Practitioner, Service, TimeOff, WorkingHours
from facetcare.errors import InvalidInput
from tests.booking.conftest import NOW, World
from tests.factories import book, local, make_clinic, make_practitioner, make_room, make_service

MONDAY = NOW.date()
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    directory_cache.invalidate()
    yield
    directory_cache.invalidate()


def slots(service: Service, **kwargs: Any) -> list[tuple[Any, ...]]:
    found = get_availability(service=service, now=NOW, **kwargs)
    return [(s.start, s.clinic_id, s.practitioner_id, s.room_id, s.places_left) for s in found]


def read_both_ways(service: Service, **kwargs: Any) -> tuple[list[Any], list[Any]]:
    """The answer from the warm cache, and the same question read fresh in a transaction."""
    cached = slots(service, **kwargs)
    assert directory_cache.current_directory() is not None
    with transaction.atomic():
        fresh = slots(service, **kwargs)
    return cached, fresh


@pytest.fixture
def network(world: World) -> World:
    """Three more clinics with the things eligibility and calendars turn on."""
    leeds = make_clinic(latitude=Decimal("53.80080"), longitude=Decimal("-1.54910"))
    make_room(leeds)
    make_room(leeds, equipment=("fluoroscopy",))
    make_practitioner(leeds, world.service, hours=(time(12), time(16)))
    make_practitioner(leeds, world.service, profession="pain_consultant")
    make_practitioner(leeds)  # does not offer the service
    away = make_practitioner(leeds, world.service)
    away.clinics.remove(leeds)  # hours there, but no longer listed
    gone = make_practitioner(leeds, world.service)
    Practitioner.objects.filter(pk=gone.pk).update(is_active=False)
    la = make_clinic(time_zone="America/Los_Angeles", latitude=Decimal("34.05"))
    make_room(la)
    off = make_practitioner(la, world.service)
    TimeOff.objects.create(practitioner=off, start=local(MONDAY, 0), end=local(MONDAY, 23))
    shut = make_clinic()
    make_room(shut)
    make_practitioner(shut, world.service)
    Closure.objects.create(clinic=shut, first_day=MONDAY, last_day=MONDAY)
    closed = make_clinic(is_active=False)
    make_room(closed)
    make_practitioner(closed, world.service)
    WorkingHours.objects.filter(practitioner=world.practitioner).update(
        valid_until=MONDAY + timedelta(days=1)
    )
    book(service=world.service, clinic=world.clinic, practitioner=world.practitioner,
         start=local(MONDAY, 10), now=NOW)  # fmt: skip
    return world


@pytest.mark.parametrize("days", [1, 3])
def test_the_cached_directory_gives_the_same_network_slots_as_a_fresh_read(
    network: World, days: int
) -> None:
    cached, fresh = read_both_ways(network.service, first_day=MONDAY, days=days, limit=500)

    assert cached == fresh
    # The shut clinic is closed on the Monday only; the inactive one never offers.
    assert len({clinic for _, clinic, *_ in cached}) == (3 if days == 1 else 4)


def test_the_cached_directory_gives_the_same_nearest_slots_as_a_fresh_read(
    network: World,
) -> None:
    cached, fresh = read_both_ways(
        network.service, first_day=MONDAY, days=3, limit=40, near=(53.8, -1.5)
    )

    assert cached == fresh
    assert cached[0][1] != network.clinic.pk


def test_the_cached_directory_gives_the_same_practitioner_day_as_a_fresh_read(
    network: World,
) -> None:
    for day in (MONDAY, MONDAY + timedelta(days=2)):
        cached, fresh = read_both_ways(
            network.service,
            clinic=network.clinic,
            practitioner=network.practitioner,
            first_day=day,
            days=1,
        )
        assert cached == fresh
    assert cached == []  # the practitioner's hours ended the day before


def test_a_warm_cache_answers_a_practitioners_day_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    ask = {"clinic": world.clinic, "practitioner": world.practitioner, "first_day": MONDAY}
    slots(world.service, days=1, **ask)

    with django_assert_num_queries(1):
        found = slots(world.service, days=1, **ask)

    assert found[0][0] == local(MONDAY, 8)


def test_a_warm_cache_answers_a_clinics_fortnight_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    ask = {"clinic": world.clinic, "first_day": MONDAY, "days": 14, "limit": 10_000}
    slots(world.service, **ask)

    with django_assert_num_queries(1):
        found = slots(world.service, **ask)

    assert found[0][0] == local(MONDAY, 8)
    assert found[-1][0].date() == MONDAY + timedelta(days=13)


def test_a_change_saved_in_this_process_is_seen_at_once(world: World) -> None:
    ask = {"clinic": world.clinic, "first_day": MONDAY, "days": 1}
    assert slots(world.service, **ask)

    Closure.objects.create(clinic=world.clinic, first_day=MONDAY, last_day=MONDAY)

    assert slots(world.service, **ask) == []


def test_a_change_it_cannot_see_is_picked_up_once_the_snapshot_is_old(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask = {"clinic": world.clinic, "first_day": MONDAY, "days": 1}
    before = slots(world.service, **ask)
    # A bulk update sends no signal, as a change made by another process would not.
    Clinic.objects.filter(pk=world.clinic.pk).update(is_active=True)
    WorkingHours.objects.filter(practitioner=world.practitioner).update(starts=time(12))

    assert slots(world.service, **ask) == before
    monkeypatch.setattr(directory_cache, "TTL", 0.0)
    assert slots(world.service, **ask)[0][0] == local(MONDAY, 12)


def test_booking_reads_fresh_even_while_the_cache_is_stale(world: World) -> None:
    ask = {"clinic": world.clinic, "first_day": MONDAY, "days": 1}
    assert slots(world.service, **ask)[0][0] == local(MONDAY, 8)
    WorkingHours.objects.filter(practitioner=world.practitioner).update(starts=time(12))

    with pytest.raises(InvalidInput):
        book(service=world.service, clinic=world.clinic, practitioner=world.practitioner,
             start=local(MONDAY, 8), now=NOW)  # fmt: skip


def test_a_read_inside_a_transaction_neither_uses_nor_fills_the_cache(world: World) -> None:
    with transaction.atomic():
        assert slots(world.service, first_day=MONDAY, days=1)
        assert directory_cache.current_directory() is None

    assert directory_cache._current is None


def test_a_new_service_is_offered_without_waiting_for_the_snapshot(world: World) -> None:
    slots(world.service, first_day=MONDAY, days=1)
    other = make_service(name="Follow-up", slug="follow-up")
    world.practitioner.services.add(other)

    assert slots(other, first_day=date(2026, 3, 3), days=1)
