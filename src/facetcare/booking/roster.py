"""The availability engine's inputs, read as plain values: who works where, and what is booked.

A ``Roster`` is the directory part (clinic calendars, equipped rooms, eligible
practitioners' weekly hours) of a question about one service over some local
days. The availability selector takes it from the per-process directory cache
(``directory_cache``), or fresh from the database (``fresh_roster``) inside a
transaction; a booking reads its own one-practitioner slice (``claim_reads``).
``read_live`` then fetches the live part, bookings and time off for one span of
time, in one round trip of plain SQL, and ``Roster.sites`` puts the two together.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, Q

from facetcare.booking.models import Appointment
from facetcare.clinics.models import (
    Clinic,
    Closure,
    OpeningHours,
    Room,
    Service,
    TimeOff,
    WorkingHours,
)
from facetcare.core.scheduling.types import (
    BookedSpan,
    ClinicAvailabilityInput,
    ClinicCalendar,
    ClosedDays,
    Interval,
    PractitionerSchedule,
    RoomSpec,
    WeeklyHours,
)

# A live appointment's occupied span lies inside one opening interval, so within
# one local day (25 hours at most, on the day clocks go back). Bounding the
# search below by this lets the (practitioner, occupied_start) and (room,
# occupied_start) indexes answer with a short range scan instead of reading a
# practitioner's whole history.
MAX_OCCUPIED_SPAN = timedelta(hours=26)


@dataclass(slots=True)
class ClinicRows:
    """One clinic's calendar and candidate rooms, read as plain values (no model instances)."""

    clinic_id: int
    time_zone: str
    latitude: float
    longitude: float
    opening: list[WeeklyHours] = field(default_factory=list)
    closures: list[ClosedDays] = field(default_factory=list)
    rooms: list[RoomSpec] = field(default_factory=list)

    def calendar(self) -> ClinicCalendar:
        return ClinicCalendar(
            clinic_id=self.clinic_id,
            time_zone=self.time_zone,
            opening=tuple(self.opening),
            closures=tuple(self.closures),
            latitude=self.latitude,
            longitude=self.longitude,
        )


@dataclass(frozen=True, slots=True)
class Live:
    """Live bookings and time off that overlap one span of time."""

    bookings: list[BookedSpan]
    time_off: dict[int, list[Interval]]


class Roster:
    """Clinics, their equipped rooms and practitioners' hours for one service and some days.

    ``longest`` bounds how long before a span a booking that reaches into it may
    start (see ``read_live``). Sites built for a span share the calendars and the
    schedules of practitioners without time off, so a search that asks for many
    spans builds little.
    """

    def __init__(
        self,
        clinics: Sequence[ClinicRows],
        working: dict[int, dict[int, list[WeeklyHours]]],
        longest: timedelta,
    ) -> None:
        self.clinics = list(clinics)
        self.zones = {c.clinic_id: c.time_zone for c in self.clinics}
        self.calendars = {c.clinic_id: c.calendar() for c in self.clinics}
        self.rooms = {c.clinic_id: tuple(c.rooms) for c in self.clinics}
        self.longest = longest
        self.schedules = {
            c.clinic_id: tuple(
                PractitionerSchedule(pid, tuple(hours))
                for pid, hours in sorted(working.get(c.clinic_id, {}).items())
            )
            for c in self.clinics
        }

    def practitioner_ids(self, clinic_ids: Iterable[int] | None = None) -> set[int]:
        wanted = self.schedules.keys() if clinic_ids is None else clinic_ids
        return {s.practitioner_id for cid in wanted for s in self.schedules[cid]}

    def room_ids(self, clinic_ids: Iterable[int] | None = None) -> set[int]:
        wanted = self.rooms.keys() if clinic_ids is None else clinic_ids
        return {room.room_id for cid in wanted for room in self.rooms[cid]}

    def read_sites(
        self, window: Interval, clinic_ids: Sequence[int] | None = None
    ) -> list[ClinicAvailabilityInput]:
        """Engine inputs of the clinics (all by default) with what is live in ``window``."""
        wanted = list(self.schedules) if clinic_ids is None else list(clinic_ids)
        live = read_live(
            practitioner_ids=self.practitioner_ids(wanted),
            room_ids=self.room_ids(wanted),
            window=window,
            longest=self.longest,
        )
        return self.sites(live, wanted)

    def sites(self, live: Live, clinic_ids: Sequence[int]) -> list[ClinicAvailabilityInput]:
        """Each clinic's input, with the live bookings of its practitioners and rooms."""
        by_practitioner: dict[int, list[int]] = defaultdict(list)
        by_room: dict[int, int] = {}
        for cid in clinic_ids:
            for schedule in self.schedules[cid]:
                by_practitioner[schedule.practitioner_id].append(cid)
            for room in self.rooms[cid]:
                by_room[room.room_id] = cid
        # A booking goes to every clinic where its practitioner works and to its
        # room's clinic, once each (a practitioner cannot be in two places).
        per_clinic: dict[int, list[BookedSpan]] = defaultdict(list)
        for booking in live.bookings:
            targets = set(by_practitioner.get(booking.practitioner_id, ()))
            if booking.room_id in by_room:
                targets.add(by_room[booking.room_id])
            for cid in targets:
                per_clinic[cid].append(booking)
        return [
            ClinicAvailabilityInput(
                clinic=self.calendars[cid],
                practitioners=self._with_time_off(cid, live.time_off),
                rooms=self.rooms[cid],
                bookings=tuple(per_clinic.get(cid, ())),
            )
            for cid in clinic_ids
        ]

    def _with_time_off(
        self, clinic_id: int, time_off: dict[int, list[Interval]]
    ) -> tuple[PractitionerSchedule, ...]:
        schedules = self.schedules[clinic_id]
        if not time_off:
            return schedules
        return tuple(
            PractitionerSchedule(s.practitioner_id, s.working, tuple(time_off[s.practitioner_id]))
            if s.practitioner_id in time_off
            else s
            for s in schedules
        )


def read_live(
    *,
    practitioner_ids: Iterable[int],
    room_ids: Iterable[int],
    window: Interval,
    longest: timedelta = MAX_OCCUPIED_SPAN,
) -> Live:
    """Live bookings of the practitioners or rooms, and the practitioners' time off,
    that overlap ``window``: one query, plain SQL, no model instances.

    A booking is found when it starts less than ``longest`` before the window, which
    lets the (practitioner, occupied_start) and (room, occupied_start) indexes answer
    with short range scans.
    """
    statement = live_statement(
        practitioner_ids=practitioner_ids, room_ids=room_ids, window=window, longest=longest
    )
    if statement is None:
        return Live([], {})
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return parse_live(cursor.fetchall())


def parse_live(rows: Iterable[Sequence[Any]]) -> Live:
    """The bookings and time off in the rows of a ``live_statement``."""
    bookings: list[BookedSpan] = []
    time_off: dict[int, list[Interval]] = defaultdict(list)
    # Rows satisfy Interval's checks already: _instant is always aware, and check
    # constraints keep every end after its start.
    for kind, pid, rid, start, end, key, booked_start, service_id in rows:
        if kind == 0:
            occupied = Interval.trusted(_instant(start), _instant(end))
            bookings.append(BookedSpan(pid, rid, occupied, key, _instant(booked_start), service_id))
        else:
            time_off[pid].append(Interval.trusted(_instant(start), _instant(end)))
    return Live(bookings, dict(time_off))


def live_statement(
    *,
    practitioner_ids: Iterable[int],
    room_ids: Iterable[int],
    window: Interval,
    longest: timedelta = MAX_OCCUPIED_SPAN,
) -> tuple[str, list[Any]] | None:
    """The SQL and parameters ``read_live`` runs; None when there is nobody to ask about."""
    practitioners, rooms = sorted(set(practitioner_ids)), sorted(set(room_ids))
    if not practitioners and not rooms:
        return None
    adapt = connection.ops.adapt_datetimefield_value
    start, end = adapt(window.start), adapt(window.end)
    params: list[Any] = [*practitioners, *rooms]
    params += [adapt(window.start - longest), end, start, Appointment.Status.CANCELLED]
    if practitioners:
        params += [*practitioners, start, end]
    return _live_text(connection.vendor, len(practitioners), len(rooms)), params


@functools.lru_cache(maxsize=256)
def _live_text(vendor: str, practitioners: int, rooms: int) -> str:
    """The text of a live read for so many practitioners and rooms (built once each)."""
    quote = connection.ops.quote_name
    appointments, leave = quote(Appointment._meta.db_table), quote(TimeOff._meta.db_table)
    end_column = quote("end")

    def text(column: str) -> str:
        # Instants come back as ISO 8601 text: parsing that with datetime.fromisoformat
        # is about twice as fast as the driver's own timestamp conversion.
        return f"CAST({column} AS TEXT)"

    who = []
    if practitioners:
        who.append(f"practitioner_id IN ({', '.join(['%s'] * practitioners)})")
    if rooms:
        who.append(f"room_id IN ({', '.join(['%s'] * rooms)})")
    # Only quoted table and column names and placeholders are put into the text.
    sql = (
        f"SELECT 0, practitioner_id, room_id, {text('occupied_start')}, {text('occupied_end')}, "  # noqa: S608
        f"session_key, {text('start')}, service_id FROM {appointments} WHERE ({' OR '.join(who)}) "
        "AND occupied_start >= %s AND occupied_start < %s AND occupied_end > %s "
        "AND status <> %s"
    )
    if practitioners:
        sql += (
            f" UNION ALL SELECT 1, practitioner_id, NULL, {text('start')}, {text(end_column)}, "  # noqa: S608
            "NULL, NULL, NULL "
            f"FROM {leave} WHERE practitioner_id IN ({', '.join(['%s'] * practitioners)}) "
            f"AND {end_column} > %s AND start < %s"
        )
    return sql


def _instant(value: str) -> datetime:
    # PostgreSQL writes the offset (its sessions are in UTC, ISO style); SQLite
    # holds what Django stored, naive UTC.
    found = datetime.fromisoformat(value)
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def fresh_roster(
    *,
    service: Service,
    clinic_ids: Sequence[int] | None,
    practitioner_ids: Sequence[int] | None,
    first_day: date,
    days: int,
    given_clinics: Sequence[Clinic] = (),
) -> Roster:
    """The roster of practitioners eligible for ``service``, read straight from the database.

    Eligible means active, of the service's profession, offering it and listed
    at the clinic. ``given_clinics`` are Clinic instances the caller already
    holds, saving a query.
    """
    last_day = first_day + timedelta(days=days - 1)
    working = _working_rows(
        clinic_ids=clinic_ids,
        practitioner_ids=practitioner_ids,
        service=service,
        first_day=first_day,
        last_day=last_day,
    )
    wanted = clinic_ids if clinic_ids is not None else {pair[1] for pair in working}
    clinics = list(_clinic_rows(wanted, given_clinics, service, first_day, last_day).values())
    per_clinic: dict[int, dict[int, list[WeeklyHours]]] = defaultdict(lambda: defaultdict(list))
    for pid, cid, hours in working:
        per_clinic[cid][pid].append(hours)
    return Roster(clinics, per_clinic, MAX_OCCUPIED_SPAN)


def _working_rows(
    *,
    clinic_ids: Sequence[int] | None,
    practitioner_ids: Sequence[int] | None,
    service: Service,
    first_day: date,
    last_day: date,
) -> list[tuple[int, int, WeeklyHours]]:
    rows = WorkingHours.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first_day),
        valid_from__lte=last_day,
        clinic__is_active=True,
        practitioner__is_active=True,
        practitioner__profession=service.required_profession,
        practitioner__services=service,
        # ...and is listed at the clinic the hours are for.
        practitioner__clinics=F("clinic_id"),
    )
    if clinic_ids is not None:
        rows = rows.filter(clinic_id__in=clinic_ids)
    if practitioner_ids is not None:
        rows = rows.filter(practitioner_id__in=practitioner_ids)
    fields = ("practitioner_id", "clinic_id", "weekday", "starts", "ends")
    return [
        (pid, cid, WeeklyHours(weekday, starts, ends, valid_from, valid_until))
        for pid, cid, weekday, starts, ends, valid_from, valid_until in rows.order_by().values_list(
            *fields, "valid_from", "valid_until"
        )
    ]


def _clinic_rows(
    clinic_ids: Iterable[int],
    given: Sequence[Clinic],
    service: Service,
    first_day: date,
    last_day: date,
) -> dict[int, ClinicRows]:
    """Active clinics with their opening hours, closures in range and the active rooms
    that carry the service's equipment: three queries, or four without ``given``."""
    wanted = set(clinic_ids)
    if given and wanted == {c.pk for c in given}:
        rows: Iterable[tuple[int, str, Any, Any]] = [
            (c.pk, c.time_zone, c.latitude, c.longitude) for c in given if c.is_active
        ]
    else:
        rows = (
            Clinic.objects.filter(pk__in=wanted, is_active=True)
            .order_by()
            .values_list("pk", "time_zone", "latitude", "longitude")
        )
    found = {pk: ClinicRows(pk, zone, float(lat), float(lon)) for pk, zone, lat, lon in rows}
    if not found:
        return found
    opening = OpeningHours.objects.filter(clinic_id__in=found).order_by()
    for clinic_id, weekday, opens, closes in opening.values_list(
        "clinic_id", "weekday", "opens", "closes"
    ):
        found[clinic_id].opening.append(WeeklyHours(weekday, opens, closes))
    closures = Closure.objects.filter(
        clinic_id__in=found, first_day__lte=last_day, last_day__gte=first_day
    ).order_by()
    for clinic_id, first, last in closures.values_list("clinic_id", "first_day", "last_day"):
        found[clinic_id].closures.append(ClosedDays(first, last))
    required = frozenset(service.required_equipment or ())
    rooms = Room.objects.filter(clinic_id__in=found, is_active=True).order_by("pk")
    for clinic_id, room_id, equipment, capacity in rooms.values_list(
        "clinic_id", "pk", "equipment", "capacity"
    ):
        room = RoomSpec(room_id, frozenset(equipment or ()), capacity)
        # A room without the service's equipment can never host it, so its
        # bookings cannot matter either.
        if room.carries(required):
            found[clinic_id].rooms.append(room)
    return found
