"""The span-by-span searches give exactly what first_slots gives with everything loaded."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facetcare.core.scheduling.calendar import from_us, local_day
from facetcare.core.scheduling.errors import NaiveDatetimeError
from facetcare.core.scheduling.search import earliest_slots_by_span, nearest_slots_by_batch
from facetcare.core.scheduling.slots import find_slots, first_slots, slots_starting_between
from facetcare.core.scheduling.types import (
    ClinicAvailabilityInput,
    ClinicCalendar,
    Interval,
    PractitionerSchedule,
)
from tests.core.scheduling.strategies import clinics, services
from tests.core.scheduling.world import MONDAY, NOW, booking, local, service, site

EARLY = datetime(2026, 1, 1, tzinfo=UTC)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PLACES = ((53.8, -1.55), (51.5, -0.13), (53.48, -2.24), (52.2, 0.12))


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[ClinicAvailabilityInput], date]:
    """Two to four random clinics around one clock change, some placed on the map."""
    first, day = draw(clinics())
    sites = [first]
    for _ in range(draw(st.integers(1, 3))):
        other, _ = draw(clinics())
        sites.append(other)
    placed = []
    for n, one in enumerate(sites):
        where = draw(st.sampled_from((*PLACES, None)))
        calendar = replace(
            one.clinic,
            clinic_id=n + 1,
            latitude=where[0] if where else None,
            longitude=where[1] if where else None,
        )
        placed.append(replace(one, clinic=calendar))
    return placed, day - timedelta(days=1)


def window_of(sites: list[ClinicAvailabilityInput], first_day: date, days: int) -> Interval:
    starts = [local_day(s.clinic.time_zone, first_day).start for s in sites]
    ends = [local_day(s.clinic.time_zone, first_day + timedelta(days=days - 1)).end for s in sites]
    return Interval(from_us(min(starts)), from_us(max(ends)))


def trimmed(site: ClinicAvailabilityInput, reach: Interval) -> ClinicAvailabilityInput:
    """The site as a loader for ``reach`` gives it: only what overlaps ``reach``."""
    return replace(
        site,
        practitioners=tuple(
            PractitionerSchedule(
                p.practitioner_id,
                p.working,
                tuple(off for off in p.time_off if off.overlaps(reach)),
            )
            for p in site.practitioners
        ),
        bookings=tuple(b for b in site.bookings if b.occupied.overlaps(reach)),
    )


def bare(site: ClinicAvailabilityInput) -> ClinicAvailabilityInput:
    """The site as a directory: calendars, hours and rooms, nothing booked or on leave."""
    return replace(
        site,
        practitioners=tuple(replace(p, time_off=()) for p in site.practitioners),
        bookings=(),
    )


class Counting:
    def __init__(self, sites: list[ClinicAvailabilityInput]) -> None:
        self.sites = sites
        self.reaches: list[Interval] = []

    def __call__(self, reach: Interval) -> list[ClinicAvailabilityInput]:
        self.reaches.append(reach)
        return [trimmed(one, reach) for one in self.sites]


@FAST
@given(networks(), services(), st.sampled_from((1, 3, 20, 10_000)), st.integers(1, 48))
def test_the_span_search_equals_first_slots_with_everything_loaded(
    network, spec, limit, quarters
) -> None:
    sites, first_day = network
    expected = first_slots(
        service=spec, sites=sites, first_day=first_day, days=4, now=EARLY, limit=limit
    )

    # With and without the directory, which only lets the search skip closed time.
    for directory in ([], [bare(one) for one in sites]):
        found = earliest_slots_by_span(
            service=spec,
            load=Counting(sites),
            window=window_of(sites, first_day, 4),
            first_day=first_day,
            days=4,
            now=EARLY,
            limit=limit,
            first_span=timedelta(minutes=15 * quarters),
            directory=directory,
        )

        assert found == expected


@FAST
@given(networks(), services(), st.integers(1, 40))
def test_the_batched_nearest_search_equals_first_slots_by_distance(network, spec, limit) -> None:
    sites, first_day = network
    near = (52.0, -1.0)
    expected = first_slots(
        service=spec, sites=sites, first_day=first_day, days=4, now=EARLY, limit=limit, near=near
    )
    by_id = {one.clinic.clinic_id: one for one in sites}

    found = nearest_slots_by_batch(
        service=spec,
        clinics=[one.clinic for one in sites],
        load=lambda batch: [by_id[c.clinic_id] for c in batch],
        near=near,
        first_day=first_day,
        days=4,
        now=EARLY,
        limit=limit,
    )

    assert found == expected


@FAST
@given(networks(), services(), st.lists(st.integers(1, 96), min_size=1, max_size=6))
def test_slots_of_consecutive_spans_add_up_to_every_slot(network, spec, cuts) -> None:
    sites, first_day = network
    window = window_of(sites, first_day, 3)
    every = sorted(
        (
            slot
            for one in sites
            for slot in find_slots(service=spec, site=one, first_day=first_day, days=3, now=EARLY)
        ),
        key=lambda s: (s.start, s.clinic_id, s.practitioner_id),
    )
    edges = sorted({window.start + timedelta(minutes=15 * c * 8) for c in cuts} | {window.end})
    edges = [window.start, *(e for e in edges if window.start < e < window.end), window.end]

    pieces = []
    for start, end in pairwise(edges):
        reach = Interval(start - spec.buffer_before, end + spec.duration + spec.buffer_after)
        pieces += slots_starting_between(
            service=spec,
            sites=[trimmed(one, reach) for one in sites],
            first_day=first_day,
            days=3,
            now=EARLY,
            start=start,
            end=end,
        )

    assert pieces == every


def test_it_stops_loading_once_the_first_span_holds_enough_slots() -> None:
    sites = [site(clinic_id=1), site(clinic_id=2)]
    load = Counting(sites)

    found = earliest_slots_by_span(
        service=service(),
        load=load,
        window=window_of(sites, MONDAY, 14),
        first_day=MONDAY,
        days=14,
        now=local(MONDAY, "09:00"),
        limit=4,
        first_span=timedelta(hours=2),
    )

    assert [(s.clinic_id, f"{s.start:%H:%M}") for s in found] == [
        (1, "08:00"),
        (2, "08:00"),
        (1, "08:30"),
        (2, "08:30"),
    ]
    assert load.reaches == [Interval(local(MONDAY, "09:00"), local(MONDAY, "11:30"))]


def test_it_walks_past_a_fully_booked_morning_in_growing_spans() -> None:
    morning = tuple(booking(local(MONDAY, f"{h:02d}:00"), 60) for h in range(9, 15))
    load = Counting([site(bookings=morning)])

    found = earliest_slots_by_span(
        service=service(),
        load=load,
        window=window_of(load.sites, MONDAY, 2),
        first_day=MONDAY,
        days=2,
        now=local(MONDAY, "09:00"),
        limit=1,
        first_span=timedelta(hours=2),
    )

    assert found[0].start == local(MONDAY, "15:00")
    assert [r.end - r.start for r in load.reaches] == [
        timedelta(hours=2, minutes=30),
        timedelta(hours=4, minutes=30),
        timedelta(hours=8, minutes=30),
    ]


def test_it_skips_the_night_without_loading_it() -> None:
    load = Counting([site(clinic_id=1), site(clinic_id=2, zone="America/Los_Angeles")])

    found = earliest_slots_by_span(
        service=service(),
        load=load,
        window=window_of(load.sites, MONDAY, 3),
        first_day=MONDAY,
        days=3,
        now=local(MONDAY, "18:00"),
        limit=3,
    )

    # London has shut; in Los Angeles it is 10:00 and work goes on till 17:00.
    assert [s.clinic_id for s in found] == [2, 2, 2]
    assert found[0].start == local(MONDAY, "18:00")
    late = earliest_slots_by_span(
        service=service(),
        load=(night := Counting(load.sites)),
        window=window_of(load.sites, MONDAY, 3),
        first_day=MONDAY,
        days=3,
        now=local(MONDAY, "23:45", "America/Los_Angeles"),
        limit=1,
        first_span=timedelta(minutes=30),
    )
    assert late[0].start == local(MONDAY + timedelta(days=1), "09:00")
    assert [r.start for r in night.reaches] == [
        local(MONDAY, "23:45", "America/Los_Angeles"),
        local(MONDAY + timedelta(days=1), "09:00"),
    ]


def test_the_nearest_search_loads_only_the_nearest_clinic_when_it_has_enough() -> None:
    calendars = [
        ClinicCalendar(n, "Europe/London", site().clinic.opening, (), lat, lon)
        for n, (lat, lon) in enumerate(PLACES, start=1)
    ]
    asked: list[list[int]] = []

    def load(batch):
        asked.append([c.clinic_id for c in batch])
        return [replace(site(), clinic=c) for c in batch]

    found = nearest_slots_by_batch(
        service=service(),
        clinics=calendars,
        load=load,
        near=(51.6, -0.2),
        first_day=MONDAY,
        days=3,
        now=NOW,
        limit=5,
    )

    assert {s.clinic_id for s in found} == {2}
    assert asked == [[2]]


def test_the_searches_reject_a_naive_now() -> None:
    with pytest.raises(NaiveDatetimeError):
        earliest_slots_by_span(
            service=service(),
            load=Counting([site()]),
            window=window_of([site()], MONDAY, 1),
            first_day=MONDAY,
            days=1,
            now=NOW.replace(tzinfo=None),
            limit=1,
        )


def test_with_the_directory_it_does_not_read_the_night_before_the_first_opening() -> None:
    sites = [site(clinic_id=1), site(clinic_id=2)]
    load = Counting(sites)

    found = earliest_slots_by_span(
        service=service(),
        load=load,
        window=window_of(sites, MONDAY, 2),
        first_day=MONDAY,
        days=2,
        now=local(MONDAY, "02:30"),
        limit=1,
        directory=[bare(one) for one in sites],
    )

    # Both open at 09:00: the first read starts there, not at 02:30.
    assert found[0].start == local(MONDAY, "09:00")
    assert [r.start for r in load.reaches] == [local(MONDAY, "09:00")]
