"""One clinic's input indexed for the questions the public functions ask.

A ``ClinicIndex`` lives for one call. It converts what it needs to integer
microseconds (see ``calendar``) lazily, one local day at a time, so asking about
the first free slot of a busy fortnight touches one day's bookings, not all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate, islice
from operator import attrgetter, le

from facetcare.core.scheduling.calendar import US, LocalDay, from_us, local_day, to_us
from facetcare.core.scheduling.intervals import Span, normalise, overlapping
from facetcare.core.scheduling.types import (
    BookedSpan,
    ClinicAvailabilityInput,
    PractitionerSchedule,
    RoomSpec,
    ServiceSpec,
    Slot,
    WeeklyHours,
)


def _micro(value: timedelta) -> int:
    return (value.days * 86_400 + value.seconds) * US + value.microseconds


@dataclass(frozen=True, slots=True)
class Rules:
    """A service's timings in microseconds."""

    service_id: int
    duration: int
    before: int
    after: int
    step: int
    capacity: int
    equipment: frozenset[str]
    min_notice: int
    max_advance: int

    @classmethod
    def of(cls, service: ServiceSpec) -> Rules:
        if service.slot_step <= timedelta(0) or service.duration <= timedelta(0):
            raise ValueError("A service needs a positive duration and slot step")
        return cls(
            service_id=service.service_id,
            duration=_micro(service.duration),
            before=_micro(service.buffer_before),
            after=_micro(service.buffer_after),
            step=_micro(service.slot_step),
            capacity=service.capacity,
            equipment=service.required_equipment,
            min_notice=_micro(service.min_notice),
            max_advance=_micro(service.max_advance),
        )

    def occupied(self, start: int) -> Span:
        return (start - self.before, start + self.duration + self.after)


@dataclass(slots=True)
class Session:
    """An existing class session of the service: its attendees share ``key``."""

    start: int
    room_id: int
    key: str
    attendees: int = 0


@dataclass(slots=True)
class DayBookings:
    """The live bookings that touch one local day."""

    practitioner: dict[int, list[Span]] = field(default_factory=dict)
    room: dict[int, list[Span]] = field(default_factory=dict)
    raw: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    sessions: dict[tuple[int, int], Session] = field(default_factory=dict)

    def clashes(self, *, practitioner_id: int, span: Span, ignore_key: str) -> bool:
        """Whether the practitioner has another booking (not of session ``ignore_key``) in span."""
        return any(
            pid == practitioner_id and key != ignore_key and start < span[1] and span[0] < end
            for start, end, pid, _room, key in self.raw
        )

    def room_clashes(self, *, room_id: int, span: Span, ignore_key: str) -> bool:
        """Whether the room has another booking (not of session ``ignore_key``) in span."""
        return any(
            rid == room_id and key != ignore_key and start < span[1] and span[0] < end
            for start, end, _pid, rid, key in self.raw
        )


_OCCUPIED_START = attrgetter("occupied.start")
_OCCUPIED_END = attrgetter("occupied.end")


def _valid_on(hours: WeeklyHours, day: date) -> bool:
    return (hours.valid_from is None or hours.valid_from <= day) and (
        hours.valid_until is None or day <= hours.valid_until
    )


@lru_cache(maxsize=65536)
def _wall_spans(zone: str, day: date, pairs: tuple[tuple[time, time], ...]) -> tuple[Span, ...]:
    local = local_day(zone, day)
    return tuple(normalise((local.instant(start), local.instant(end)) for start, end in pairs))


def _spans_on(zone: str, day: date, rows: Sequence[WeeklyHours]) -> tuple[Span, ...]:
    weekday = day.weekday()
    pairs = tuple(
        (row.start, row.end) for row in rows if row.weekday == weekday and _valid_on(row, day)
    )
    return _wall_spans(zone, day, pairs) if pairs else ()


class ClinicIndex:
    """Lazily built views of one clinic's input for one service."""

    def __init__(self, site: ClinicAvailabilityInput, service: ServiceSpec) -> None:
        self.site = site
        self.rules = Rules.of(service)
        self.clinic_id = site.clinic.clinic_id
        self.zone = site.clinic.time_zone
        self.rooms: list[RoomSpec] = sorted(
            (room for room in site.rooms if room.carries(self.rules.equipment)),
            key=lambda room: room.room_id,
        )
        self.room_by_id = {room.room_id: room for room in self.rooms}
        self._time_off: dict[int, list[Span]] = {}
        self._days: dict[date, DayBookings] = {}
        self._bookings: Sequence[BookedSpan] = ()
        self._starts: list[datetime] = []
        self._reach: list[datetime] = []
        self._sorted = False

    def day(self, day: date) -> LocalDay:
        return local_day(self.zone, day)

    def is_closed(self, day: date) -> bool:
        return any(c.first_day <= day <= c.last_day for c in self.site.clinic.closures)

    def opening(self, day: date) -> tuple[Span, ...]:
        return _spans_on(self.zone, day, self.site.clinic.opening)

    def working(self, practitioner: PractitionerSchedule, day: date) -> tuple[Span, ...]:
        return _spans_on(self.zone, day, practitioner.working)

    def time_off(self, practitioner: PractitionerSchedule) -> list[Span]:
        spans = self._time_off.get(practitioner.practitioner_id)
        if spans is None:
            spans = normalise((to_us(off.start), to_us(off.end)) for off in practitioner.time_off)
            self._time_off[practitioner.practitioner_id] = spans
        return spans

    def bookings(self, day: date) -> DayBookings:
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = self._collect(self.day(day))
        return found

    def _sort_bookings(self) -> None:
        # Built on first use, so clinics a search never reaches cost nothing; the
        # passes are C-level maps because a fortnight of a busy clinic is thousands.
        bookings: Sequence[BookedSpan] = self.site.bookings
        starts = list(map(_OCCUPIED_START, bookings))
        if not all(map(le, starts, islice(starts, 1, None))):
            bookings = sorted(bookings, key=_OCCUPIED_START)
            starts = list(map(_OCCUPIED_START, bookings))
        self._bookings = bookings
        self._starts = starts
        # Running maximum of ends (the ends themselves when already in order): a
        # binary search on it finds the first booking that can reach into a day,
        # however long the bookings before it.
        ends = list(map(_OCCUPIED_END, bookings))
        if not all(map(le, ends, islice(ends, 1, None))):
            ends = list(accumulate(ends, max))
        self._reach = ends
        self._sorted = True

    def _collect(self, local: LocalDay) -> DayBookings:
        if not self._sorted:
            self._sort_bookings()
        low, high = from_us(local.start), from_us(local.end)
        first = bisect_right(self._reach, low)
        last = bisect_left(self._starts, high)
        result = DayBookings()
        practitioner: dict[int, list[Span]] = {}
        room: dict[int, list[Span]] = {}
        is_class = self.rules.capacity > 1
        for booking in self._bookings[first:last]:
            occupied = booking.occupied
            if occupied.end <= low:
                continue
            span = (to_us(occupied.start), to_us(occupied.end))
            practitioner.setdefault(booking.practitioner_id, []).append(span)
            room.setdefault(booking.room_id, []).append(span)
            if is_class:
                # Only joining a class needs to tell one session's bookings from another's.
                result.raw.append(
                    (*span, booking.practitioner_id, booking.room_id, booking.session_key)
                )
                if booking.service_id == self.rules.service_id:
                    self._count_attendee(result, booking)
        result.practitioner = {pid: normalise(spans) for pid, spans in practitioner.items()}
        result.room = {rid: normalise(spans) for rid, spans in room.items()}
        return result

    @staticmethod
    def _count_attendee(result: DayBookings, booking: BookedSpan) -> None:
        where = (booking.practitioner_id, to_us(booking.start))
        session = result.sessions.get(where)
        if session is None:
            session = result.sessions[where] = Session(
                where[1], booking.room_id, booking.session_key
            )
        if session.key == booking.session_key:
            session.attendees += 1

    def free_room(self, bookings: DayBookings, span: Span) -> RoomSpec | None:
        """The equipped room with the lowest id that is free for ``span``, if any."""
        for room in self.rooms:
            busy = bookings.room.get(room.room_id)
            if busy is None or not overlapping(busy, span[0], span[1]):
                return room
        return None

    def places(self, room: RoomSpec) -> int:
        return min(self.rules.capacity, room.capacity)

    def slot(self, practitioner_id: int, start: int, room: RoomSpec, places_left: int) -> Slot:
        return Slot(
            start=from_us(start),
            end=from_us(start + self.rules.duration),
            clinic_id=self.clinic_id,
            practitioner_id=practitioner_id,
            room_id=room.room_id,
            places_left=places_left,
        )
