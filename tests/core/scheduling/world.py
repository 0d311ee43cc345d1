"""A small, readable test world for the availability engine: one clinic, shallow builders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facetcare.core.scheduling.types import (
    BookedSpan,
    ClinicAvailabilityInput,
    ClinicCalendar,
    ClosedDays,
    Interval,
    PractitionerSchedule,
    RoomSpec,
    ServiceSpec,
    Slot,
    WeeklyHours,
)

LONDON = "Europe/London"
LOS_ANGELES = "America/Los_Angeles"
MONDAY = date(2026, 6, 15)  # British Summer Time, UTC+1
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
CLINIC_ID = 1
ALEX = 10
SAM = 11
COUCH_ROOM = 100
XRAY_ROOM = 101


def every_day(start: str, end: str, **dated: date) -> tuple[WeeklyHours, ...]:
    """The same wall-clock interval on all seven weekdays."""
    return tuple(
        WeeklyHours(weekday, time.fromisoformat(start), time.fromisoformat(end), **dated)
        for weekday in range(7)
    )


def service(minutes: int = 30, **overrides: object) -> ServiceSpec:
    base = ServiceSpec(7, timedelta(minutes=minutes), slot_step=timedelta(minutes=30))
    return replace(base, **overrides)


def practitioner(
    pid: int = ALEX,
    working: tuple[WeeklyHours, ...] | None = None,
    time_off: tuple[Interval, ...] = (),
) -> PractitionerSchedule:
    return PractitionerSchedule(pid, working or every_day("09:00", "17:00"), time_off)


def rooms() -> tuple[RoomSpec, ...]:
    return (
        RoomSpec(COUCH_ROOM, frozenset({"couch"})),
        RoomSpec(XRAY_ROOM, frozenset({"couch", "fluoroscopy"})),
    )


def site(
    *,
    zone: str = LONDON,
    opening: tuple[WeeklyHours, ...] | None = None,
    closures: tuple[ClosedDays, ...] = (),
    practitioners: tuple[PractitionerSchedule, ...] | None = None,
    room_specs: tuple[RoomSpec, ...] | None = None,
    bookings: tuple[BookedSpan, ...] = (),
    where: tuple[float, float] | None = None,
    clinic_id: int = CLINIC_ID,
) -> ClinicAvailabilityInput:
    latitude, longitude = where if where else (None, None)
    calendar = ClinicCalendar(
        clinic_id, zone, opening or every_day("09:00", "17:00"), closures, latitude, longitude
    )
    return ClinicAvailabilityInput(
        calendar,
        practitioners if practitioners is not None else (practitioner(),),
        room_specs if room_specs is not None else rooms(),
        bookings,
    )


def local(day: date, clock: str, zone: str = LONDON) -> datetime:
    """An aware instant from a local wall-clock reading (first occurrence if repeated)."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=ZoneInfo(zone))


def booking(
    start: datetime,
    minutes: int = 30,
    *,
    pid: int = ALEX,
    room: int = COUCH_ROOM,
    before: int = 0,
    after: int = 0,
    key: str | None = None,
    service_id: int | None = 7,
) -> BookedSpan:
    end = start + timedelta(minutes=minutes)
    occupied = Interval(start - timedelta(minutes=before), end + timedelta(minutes=after))
    return BookedSpan(
        pid, room, occupied, key or f"one:{pid}:{start.isoformat()}", start, service_id
    )


def local_starts(slots: Sequence[Slot], zone: str = LONDON) -> list[str]:
    """Slot starts as local ``HH:MM`` readings, for tables a person can check."""
    return [f"{slot.start.astimezone(ZoneInfo(zone)):%H:%M}" for slot in slots]
