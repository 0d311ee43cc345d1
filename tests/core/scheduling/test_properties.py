"""Invariants of the availability engine, on random clinics around daylight-saving days."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facetcare.core.scheduling.errors import SlotUnavailable
from facetcare.core.scheduling.geo import haversine_km
from facetcare.core.scheduling.slots import check_slot, find_slots, first_slots
from facetcare.core.scheduling.types import (
    BookedSpan,
    ClinicAvailabilityInput,
    Interval,
    ServiceSpec,
    Slot,
)
from tests.core.scheduling.strategies import clinics, services

EARLY = datetime(2026, 1, 1, tzinfo=UTC)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=4096)
def first_reading(zone: str, day: date, wall: time) -> datetime:
    """Brute force: the first minute (UTC) at which the local clock reads ``wall`` or later."""
    target = datetime.combine(day, wall)
    instant = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=15)
    while instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None) < target:
        instant += timedelta(minutes=1)
    return instant


def wall_spans(zone, day, rows):
    return [
        (first_reading(zone, day, row.start), first_reading(zone, day, row.end))
        for row in rows
        if row.weekday == day.weekday()
    ]


def occupied(service: ServiceSpec, slot: Slot) -> tuple[datetime, datetime]:
    return slot.start - service.buffer_before, slot.end + service.buffer_after


def inside_one(spans, low, high):
    # Touching wall-clock intervals join into one, as the engine documents.
    ordered = sorted(spans)
    joined: list[list[datetime]] = []
    for start, end in ordered:
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return any(start <= low and high <= end for start, end in joined)


def joined_session(service: ServiceSpec, site: ClinicAvailabilityInput, slot: Slot) -> str | None:
    if service.capacity == 1:
        return None
    for booked in site.bookings:
        same = (booked.practitioner_id, booked.start, booked.service_id)
        if same == (slot.practitioner_id, slot.start, service.service_id):
            return booked.session_key
    return None


def clash(booked: BookedSpan, low: datetime, high: datetime, allowed: str | None) -> bool:
    overlaps = booked.occupied.start < high and low < booked.occupied.end
    return overlaps and booked.session_key != allowed


@FAST
@given(world=clinics(), service=services())
def test_no_slot_breaks_any_rule_of_free_time(world, service):
    site, day = world
    zone = site.clinic.time_zone
    slots = find_slots(service=service, site=site, first_day=day, days=1, now=EARLY)
    assert slots == sorted(slots, key=lambda s: (s.start, s.practitioner_id))
    assert not slots or not site.clinic.closures
    people = {p.practitioner_id: p for p in site.practitioners}
    rooms = {r.room_id: r for r in site.rooms}
    for slot in slots:
        low, high = occupied(service, slot)
        person = people[slot.practitioner_id]
        assert slot.start.astimezone(ZoneInfo(zone)).date() == day
        assert inside_one(wall_spans(zone, day, site.clinic.opening), low, high)
        assert inside_one(wall_spans(zone, day, person.working), low, high)
        assert not any(off.overlaps(Interval(low, high)) for off in person.time_off)
        assert service.required_equipment <= rooms[slot.room_id].equipment
        session = joined_session(service, site, slot)
        for booked in site.bookings:
            if booked.practitioner_id == slot.practitioner_id or booked.room_id == slot.room_id:
                assert not clash(booked, low, high, session)
        if session is None:
            local = slot.start.astimezone(ZoneInfo(zone))
            minutes = local.hour * 60 + local.minute
            assert minutes % (service.slot_step // timedelta(minutes=1)) == 0


@FAST
@given(world=clinics(), service=services())
def test_find_slots_offers_exactly_the_starts_check_slot_accepts(world, service):
    site, day = world
    offered = {
        (s.start, s.practitioner_id): s
        for s in find_slots(service=service, site=site, first_day=day, days=1, now=EARLY)
    }
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(site.clinic.time_zone))
    for person in site.practitioners:
        for step in range(-12, 26 * 12):
            start = (midnight + timedelta(minutes=5 * step)).astimezone(UTC)
            try:
                slot = check_slot(
                    service=service, site=site, practitioner=person, start=start, now=EARLY
                )
            except SlotUnavailable:
                assert (start, person.practitioner_id) not in offered
            else:
                on_day = start.astimezone(ZoneInfo(site.clinic.time_zone)).date() == day
                assert offered.get((start, person.practitioner_id)) == slot or not on_day


def book(
    site: ClinicAvailabilityInput, service: ServiceSpec, slot: Slot
) -> ClinicAvailabilityInput:
    key = f"{service.service_id}:{slot.practitioner_id}:{slot.start.isoformat()}"
    if service.capacity == 1:
        key += f":{len(site.bookings)}"
    span = Interval(slot.start - service.buffer_before, slot.end + service.buffer_after)
    booked = BookedSpan(
        slot.practitioner_id, slot.room_id, span, key, slot.start, service.service_id
    )
    return ClinicAvailabilityInput(
        site.clinic, site.practitioners, site.rooms, (*site.bookings, booked)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=clinics(), service=services(), picks=st.lists(st.integers(0, 10**6), max_size=12))
def test_booking_offered_slots_one_after_another_never_double_books(world, service, picks):
    site, day = world
    site = ClinicAvailabilityInput(site.clinic, site.practitioners, site.rooms, ())
    for pick in picks:
        slots = find_slots(service=service, site=site, first_day=day, days=1, now=EARLY)
        if not slots:
            break
        site = book(site, service, slots[pick % len(slots)])
    places = {r.room_id: min(service.capacity, r.capacity) for r in site.rooms}
    sessions: dict[str, list[BookedSpan]] = {}
    for booked in site.bookings:
        sessions.setdefault(booked.session_key, []).append(booked)
    for attendees in sessions.values():
        assert len(attendees) <= places[attendees[0].room_id]
    for a in site.bookings:
        for b in site.bookings:
            if a.session_key != b.session_key and a.occupied.overlaps(b.occupied):
                assert a.practitioner_id != b.practitioner_id
                assert a.room_id != b.room_id


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    worlds=st.lists(clinics(), min_size=1, max_size=4),
    service=services(),
    limit=st.integers(1, 30),
    near=st.none() | st.tuples(st.floats(-60, 60), st.floats(-150, 150)),
)
def test_first_slots_is_the_head_of_every_clinics_full_list(worlds, service, limit, near):
    sites = [
        ClinicAvailabilityInput(
            replace(site.clinic, clinic_id=n, latitude=n * 3.0, longitude=n * -7.0),
            site.practitioners,
            site.rooms,
            site.bookings,
        )
        for n, (site, _day) in enumerate(worlds)
    ]
    first_day = worlds[0][1] - timedelta(days=1)
    every = [
        slot
        for site in sites
        for slot in find_slots(service=service, site=site, first_day=first_day, days=3, now=EARLY)
    ]
    if near is None:
        every.sort(key=lambda s: (s.start, s.clinic_id, s.practitioner_id))
    else:
        distance = {
            s.clinic.clinic_id: haversine_km(near, (s.clinic.latitude, s.clinic.longitude))
            for s in sites
        }
        every.sort(key=lambda s: (distance[s.clinic_id], s.clinic_id, s.start, s.practitioner_id))
    found = first_slots(
        service=service, sites=sites, first_day=first_day, days=3, now=EARLY, limit=limit, near=near
    )
    assert found == every[:limit]
