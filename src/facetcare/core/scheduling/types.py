"""Value types of the availability engine.

All instants are timezone-aware and, inside the engine, in UTC. Intervals are
half-open: ``[start, end)``. Wall-clock values (opening hours, working hours,
closure days) are local to the clinic's IANA time zone and are turned into UTC
instants by the engine, day by day, so daylight-saving changes are honoured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from facetcare.core.scheduling.errors import NaiveDatetimeError


def require_aware(value: datetime, name: str) -> datetime:
    """Return ``value`` unchanged, or raise NaiveDatetimeError if it has no offset."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of time ``[start, end)`` between two aware instants."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "Interval.start")
        require_aware(self.end, "Interval.end")
        if self.end < self.start:
            raise ValueError(f"Interval ends before it starts: {self.start} > {self.end}")

    @classmethod
    def trusted(cls, start: datetime, end: datetime) -> Interval:
        """An Interval built without the checks, for values that already hold them.

        For bulk reads whose source guarantees both (aware instants from a
        ``timestamptz`` column, and a database check that the end is after the
        start): the checks cost a third of reading a busy network's bookings.
        """
        interval = object.__new__(cls)
        object.__setattr__(interval, "start", start)
        object.__setattr__(interval, "end", end)
        return interval

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """A local wall-clock interval on a weekday (0 = Monday), optionally dated.

    ``valid_from``/``valid_until`` are inclusive local dates; ``None`` means
    unbounded. ``end`` is after ``start`` on the same local day.
    """

    weekday: int
    start: time
    end: time
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class ClosedDays:
    """Whole local days, ``first_day`` to ``last_day`` inclusive, on which a clinic is shut."""

    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class ClinicCalendar:
    clinic_id: int
    time_zone: str
    opening: tuple[WeeklyHours, ...]
    closures: tuple[ClosedDays, ...] = ()
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class RoomSpec:
    room_id: int
    equipment: frozenset[str]
    capacity: int = 1

    def carries(self, needed: frozenset[str]) -> bool:
        """Whether the room has every tag in ``needed``: the one test of whether a
        service can be held here, used by the engine and by every read that
        leaves out rooms which could never host it."""
        return needed <= self.equipment


@dataclass(frozen=True, slots=True)
class PractitionerSchedule:
    """One practitioner's pattern at one clinic and their time off (aware intervals)."""

    practitioner_id: int
    working: tuple[WeeklyHours, ...]
    time_off: tuple[Interval, ...] = ()


@dataclass(frozen=True, slots=True)
class BookedSpan:
    """A live appointment as the engine sees it.

    ``occupied`` is the appointment widened by its buffers; ``session_key``
    groups the attendees of one class session.
    """

    practitioner_id: int
    room_id: int
    occupied: Interval
    session_key: str
    start: datetime
    service_id: int | None = None


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    service_id: int
    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    required_equipment: frozenset[str] = field(default_factory=frozenset)
    capacity: int = 1
    min_notice: timedelta = timedelta(0)
    max_advance: timedelta = timedelta(days=90)
    slot_step: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable start for a service: UTC instants, plus who and where."""

    start: datetime
    end: datetime
    clinic_id: int
    practitioner_id: int
    room_id: int
    places_left: int


@dataclass(frozen=True, slots=True)
class ClinicAvailabilityInput:
    """Everything the engine needs to answer for one clinic."""

    clinic: ClinicCalendar
    practitioners: tuple[PractitionerSchedule, ...]
    rooms: tuple[RoomSpec, ...]
    bookings: tuple[BookedSpan, ...]
