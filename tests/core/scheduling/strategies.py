"""Hypothesis strategies: small random clinics around the 2026 daylight-saving days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from facetcare.core.scheduling.types import (
    BookedSpan,
    ClinicAvailabilityInput,
    ClinicCalendar,
    ClosedDays,
    Interval,
    PractitionerSchedule,
    RoomSpec,
    ServiceSpec,
    WeeklyHours,
)
from tests.core.scheduling.world import LONDON, LOS_ANGELES

DST_DAYS = {
    LONDON: (date(2026, 3, 29), date(2026, 10, 25)),
    LOS_ANGELES: (date(2026, 3, 8), date(2026, 11, 1)),
}
PRACTITIONERS = (10, 11)
TAGS = ("couch", "studio")


@st.composite
def days_near_a_change(draw: st.DrawFn, zone: str) -> date:
    """A day at most two days from one of the zone's 2026 clock changes (often on it)."""
    change = draw(st.sampled_from(DST_DAYS[zone]))
    return change + timedelta(days=draw(st.sampled_from((0, 0, 0, -1, 1, -2, 2))))


@st.composite
def wall_intervals(draw: st.DrawFn) -> tuple[time, time]:
    """A wall-clock interval on the quarter hour, often touching the 01:00-03:00 change hours."""
    first = draw(st.integers(0, 22 * 4))
    last = draw(st.integers(first + 1, min(first + 14 * 4, 24 * 4 - 1)))
    return time(first // 4, first % 4 * 15), time(last // 4, last % 4 * 15)


def weekly(intervals: list[tuple[time, time]]) -> tuple[WeeklyHours, ...]:
    return tuple(WeeklyHours(w, start, end) for w in range(7) for start, end in intervals)


@st.composite
def services(draw: st.DrawFn) -> ServiceSpec:
    return ServiceSpec(
        service_id=7,
        duration=timedelta(minutes=draw(st.sampled_from((15, 30, 45, 60, 90)))),
        buffer_before=timedelta(minutes=draw(st.sampled_from((0, 0, 5, 15)))),
        buffer_after=timedelta(minutes=draw(st.sampled_from((0, 0, 10, 15)))),
        required_equipment=frozenset(draw(st.sets(st.sampled_from(TAGS), max_size=1))),
        capacity=draw(st.sampled_from((1, 1, 3))),
        max_advance=timedelta(days=400),
        slot_step=timedelta(minutes=draw(st.sampled_from((15, 30, 60)))),
    )


@st.composite
def instants_near(draw: st.DrawFn, zone: str, day: date) -> datetime:
    """An instant on the five-minute lattice within a few hours of local ``day``."""
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    return midnight + timedelta(minutes=5 * draw(st.integers(-36, 12 * 29)))


@st.composite
def bookings(draw: st.DrawFn, zone: str, day: date, rooms: tuple[RoomSpec, ...]) -> BookedSpan:
    start = draw(instants_near(zone, day))
    end = start + timedelta(minutes=draw(st.sampled_from((15, 30, 60, 90))))
    before = timedelta(minutes=draw(st.sampled_from((0, 0, 10))))
    pid = draw(st.sampled_from((*PRACTITIONERS, 99)))
    room = draw(st.sampled_from([r.room_id for r in rooms]))
    service_id = draw(st.sampled_from((7, 8)))
    key = f"{service_id}:{pid}:{start.isoformat()}"
    return BookedSpan(pid, room, Interval(start - before, end), key, start, service_id)


@st.composite
def clinics(draw: st.DrawFn) -> tuple[ClinicAvailabilityInput, date]:
    """One clinic, a day near a clock change, and everything booked or blocked around it."""
    zone = draw(st.sampled_from((LONDON, LOS_ANGELES)))
    day = draw(days_near_a_change(zone))
    rooms = tuple(
        RoomSpec(100 + n, frozenset(draw(st.sets(st.sampled_from(TAGS)))), draw(st.integers(1, 4)))
        for n in range(draw(st.integers(1, 3)))
    )
    practitioners = tuple(
        PractitionerSchedule(
            pid,
            weekly(draw(st.lists(wall_intervals(), min_size=1, max_size=2))),
            tuple(time_off_near(draw, zone, day) for _ in range(draw(st.integers(0, 1)))),
        )
        for pid in PRACTITIONERS
    )
    closed = draw(st.booleans()) and draw(st.booleans())
    calendar = ClinicCalendar(
        1,
        zone,
        weekly(draw(st.lists(wall_intervals(), min_size=1, max_size=2))),
        (ClosedDays(day, day),) if closed else (),
    )
    booked = tuple(draw(st.lists(bookings(zone, day, rooms), max_size=8)))
    return ClinicAvailabilityInput(calendar, practitioners, rooms, booked), day


def time_off_near(draw: st.DrawFn, zone: str, day: date) -> Interval:
    start = draw(instants_near(zone, day))
    return Interval(start, start + timedelta(minutes=draw(st.integers(1, 36)) * 15))
