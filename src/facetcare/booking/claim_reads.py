"""What a booking reads inside its transaction, and the insert that claims its slot.

The availability selector answers questions about many clinics and days; a
booking asks about exactly one practitioner, one clinic and one local day, and
asks it on every write. So the write path reads that directory slice (whether
the practitioner offers the service and is listed at the clinic, their hours
there, the clinic's opening hours and closures that day, its active rooms) and
the live bookings and time off overlapping the requested time, in one round trip
of plain SQL (``practitioner_day``), and the engine decides on the slot from
that. The directory slice may be read before the locks: the locks serialise
bookings, not edits to hours or rooms, so reading it after them would be no
fresher.

The live bookings read then may change before the insert, so the insert claims
the slot in one more round trip (``insert_claimed``): it takes the practitioner's
and the candidate rooms' locks (``locks``), then, in a statement after them and
so seeing whatever their previous holders committed, inserts the appointment
only if no live booking now overlaps it on its practitioner or its room (its
class session apart) and its class session has as many places taken as when the
engine decided. Otherwise nothing is inserted and the booking, still holding the
locks, reads again (``lock_and_read_live``) and decides again. A booking that
meets no competitor thus makes two round trips here where reading under the
locks first made three.
"""

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db import connection

from facetcare import plain_sql
from facetcare.booking.locks import lock_statements, lock_then_read
from facetcare.booking.models import Appointment
from facetcare.booking.roster import (
    MAX_OCCUPIED_SPAN,
    ClinicRows,
    Live,
    Roster,
    live_statement,
    parse_live,
)
from facetcare.clinics.models import (
    Clinic,
    Closure,
    OpeningHours,
    Practitioner,
    Room,
    Service,
    TimeOff,
    WorkingHours,
)
from facetcare.core.scheduling.types import ClosedDays, Interval, RoomSpec, Slot, WeeklyHours

_WORKING, _OPENING, _CLOSURE, _ROOM, _OFFER = 0, 1, 2, 3, 4


def _nothing_live() -> Live:
    return Live([], {})


@dataclass(frozen=True, slots=True)
class PractitionerDay:
    """One practitioner's day at one clinic, as a booking reads it: the directory
    slice, and what was live in the requested time when it was read (no locks held)."""

    roster: Roster
    offers_service: bool
    listed_at_clinic: bool
    live: Live = field(default_factory=_nothing_live)


@dataclass(frozen=True, slots=True)
class Claim:
    """A slot the engine chose from a read made before the locks, and what that read
    saw of it: the booking's session key, and how many live places its class session
    held (0 for an appointment of its own)."""

    slot: Slot
    day: PractitionerDay
    occupied: Interval
    session_key: str
    places_taken: int


def practitioner_day(
    *,
    service: Service,
    clinic: Clinic,
    practitioner_id: int,
    local_day: date,
    window: Interval | None = None,
) -> PractitionerDay:
    """The roster for ``practitioner_id`` at ``clinic`` on ``local_day``, read fresh,
    with whether they offer ``service`` and are listed at ``clinic``, and, given a
    ``window``, the live bookings of the practitioner and the clinic's active rooms
    and the practitioner's time off that overlap it: one round trip on PostgreSQL.

    The practitioner is in it even without hours that day (the engine then
    says why the start cannot be booked); rooms are the active ones that carry
    the service's equipment.
    """
    statements: list[plain_sql.Statement] = [
        _directory_sql(clinic.pk, practitioner_id, service.pk, local_day)
    ]
    if window is not None:
        statements.append(_early_live_sql(clinic.pk, practitioner_id, window))
    rows, *live = plain_sql.fetch_each(statements)
    rows_of_clinic = ClinicRows(
        clinic.pk, clinic.time_zone, float(clinic.latitude), float(clinic.longitude)
    )
    hours: list[WeeklyHours] = []
    required = frozenset(service.required_equipment or ())
    offers = listed = False
    for kind, number, starts, ends, first, last, equipment, capacity in rows:
        if kind == _OFFER:
            offers, listed = bool(number), bool(capacity)
        elif kind == _WORKING:
            hours.append(
                WeeklyHours(number, _time(starts), _time(ends), _day(first), _maybe_day(last))
            )
        elif kind == _OPENING:
            rows_of_clinic.opening.append(WeeklyHours(number, _time(starts), _time(ends)))
        elif kind == _CLOSURE:
            rows_of_clinic.closures.append(ClosedDays(_day(first), _day(last)))
        else:
            room = RoomSpec(number, frozenset(_json(equipment)), capacity)
            # A room without the service's equipment can never host it.
            if room.carries(required):
                rows_of_clinic.rooms.append(room)
    rows_of_clinic.rooms.sort(key=lambda room: room.room_id)
    roster = Roster([rows_of_clinic], {clinic.pk: {practitioner_id: hours}}, MAX_OCCUPIED_SPAN)
    return PractitionerDay(roster, offers, listed, parse_live(live[0]) if live else _nothing_live())


def insert_claimed(appointment: Appointment, claim: Claim) -> bool:
    """Lock the practitioner and the day's candidate rooms, then insert ``appointment``
    (the claim's slot) if what the engine decided on still holds: one round trip on
    PostgreSQL. Returns whether it was inserted.

    It holds when no live booking overlaps the claim's occupied span on the
    practitioner or the chosen room, the class session being joined apart, and
    that session still holds ``places_taken`` live places. When it does not, the
    locks are held all the same, and the caller reads again under them
    (``lock_and_read_live``) and decides again. Must run inside a transaction.
    """
    practitioner_id = claim.slot.practitioner_id
    first = lock_statements([practitioner_id], claim.day.roster.room_ids())
    return plain_sql.insert(appointment, first=first, only_if=_unchanged(claim))


def lock_and_read_live(*, day: PractitionerDay, practitioner_id: int, window: Interval) -> Live:
    """Lock the practitioner and the day's candidate rooms, then read what is live
    in ``window`` for them (see ``locks``).

    The window need only cover the requested appointment with its buffers: the
    engine checks a start against what overlaps it, and a class session it could
    join starts at that very time.
    """
    rooms = day.roster.room_ids()
    read = live_statement(practitioner_ids=[practitioner_id], room_ids=rooms, window=window)
    assert read is not None  # there is always the practitioner to ask about
    rows = lock_then_read(practitioner_ids=[practitioner_id], room_ids=rooms, read=read)
    return parse_live(rows)


def _unchanged(claim: Claim) -> plain_sql.Statement:
    """The condition under which ``claim`` still holds, with its parameters."""
    adapt, occupied, slot = connection.ops.adapt_datetimefield_value, claim.occupied, claim.slot
    params: list[Any] = [claim.session_key, claim.session_key, claim.places_taken]
    params += [slot.practitioner_id, slot.room_id, adapt(occupied.start - MAX_OCCUPIED_SPAN)]
    params += [adapt(occupied.end), adapt(occupied.start), Appointment.Status.CANCELLED]
    return _unchanged_text(connection.vendor), params


@functools.cache
def _unchanged_text(vendor: str) -> str:
    appointments = connection.ops.quote_name(Appointment._meta.db_table)
    # Nothing of another session overlaps (what the exclusion constraints would
    # refuse), and the session being joined has as many places taken as before;
    # its places share the practitioner, the room and the time, so one scan of
    # what overlaps answers both. Bounding occupied_start below lets the
    # (practitioner, occupied_start) and (room, occupied_start) indexes answer,
    # as in the live reads.
    # Only a quoted table name and placeholders are put into the text.
    return (
        "(SELECT COUNT(*) FILTER (WHERE a.session_key <> %s) = 0 "  # noqa: S608
        "AND COUNT(*) FILTER (WHERE a.session_key = %s) = %s "
        f"FROM {appointments} a WHERE (a.practitioner_id = %s OR a.room_id = %s) "
        "AND a.occupied_start >= %s AND a.occupied_start < %s AND a.occupied_end > %s "
        "AND a.status <> %s)"
    )


def _early_live_sql(clinic_id: int, practitioner_id: int, window: Interval) -> plain_sql.Statement:
    adapt = connection.ops.adapt_datetimefield_value
    start, end = adapt(window.start), adapt(window.end)
    params: list[Any] = [practitioner_id, clinic_id, True]
    params += [adapt(window.start - MAX_OCCUPIED_SPAN), end, start]
    params += [Appointment.Status.CANCELLED, practitioner_id, start, end]
    return _early_live_text(connection.vendor), params


@functools.cache
def _early_live_text(vendor: str) -> str:
    """The live read of ``roster.live_statement`` for one practitioner and the active
    rooms of one clinic, which are not known yet when it is sent."""
    quote = connection.ops.quote_name
    appointments, leave = quote(Appointment._meta.db_table), quote(TimeOff._meta.db_table)
    rooms, end_column = quote(Room._meta.db_table), quote("end")
    # PostgreSQL answers "= ANY (ARRAY(subquery))" with index scans on the
    # (room, occupied_start) index for each room; an IN (subquery) it would plan as a
    # join. SQLite answers IN (subquery) from the index.
    room_ids = f"SELECT id FROM {rooms} WHERE clinic_id = %s AND is_active = %s"  # noqa: S608
    in_rooms = f"= ANY (ARRAY({room_ids}))" if vendor == "postgresql" else f"IN ({room_ids})"

    def text(column: str) -> str:
        return f"CAST({column} AS TEXT)"

    # Only quoted table and column names and placeholders are put into the text.
    return (
        f"SELECT 0, practitioner_id, room_id, {text('occupied_start')}, "  # noqa: S608
        f"{text('occupied_end')}, session_key, {text('start')}, service_id FROM {appointments} "
        f"WHERE (practitioner_id = %s OR room_id {in_rooms}) "
        "AND occupied_start >= %s AND occupied_start < %s AND occupied_end > %s "
        "AND status <> %s "
        f"UNION ALL SELECT 1, practitioner_id, NULL, {text('start')}, {text(end_column)}, "
        f"NULL, NULL, NULL FROM {leave} WHERE practitioner_id = %s "
        f"AND {end_column} > %s AND start < %s"
    )


def _directory_sql(
    clinic_id: int, practitioner_id: int, service_id: int, day: date
) -> tuple[str, list[Any]]:
    adapt = connection.ops.adapt_datefield_value
    params: list[Any] = [practitioner_id, clinic_id, adapt(day), adapt(day)]
    params += [clinic_id, clinic_id, adapt(day), adapt(day), clinic_id, True]
    params += [practitioner_id, service_id, practitioner_id, clinic_id]
    return _directory_text(connection.vendor), params


@functools.cache
def _directory_text(vendor: str) -> str:
    quote = connection.ops.quote_name
    working, opening = quote(WorkingHours._meta.db_table), quote(OpeningHours._meta.db_table)
    closures, rooms = quote(Closure._meta.db_table), quote(Room._meta.db_table)
    offered = quote(Practitioner.services.through._meta.db_table)
    listed = quote(Practitioner.clinics.through._meta.db_table)
    # Only quoted table names and placeholders are put into the text.
    return (
        f"SELECT {_WORKING}, weekday, starts, ends, valid_from, valid_until, NULL, 0 "  # noqa: S608
        f"FROM {working} WHERE practitioner_id = %s AND clinic_id = %s AND valid_from <= %s "
        "AND (valid_until IS NULL OR valid_until >= %s) "
        f"UNION ALL SELECT {_OPENING}, weekday, opens, closes, NULL, NULL, NULL, 0 "
        f"FROM {opening} WHERE clinic_id = %s "
        f"UNION ALL SELECT {_CLOSURE}, NULL, NULL, NULL, first_day, last_day, NULL, 0 "
        f"FROM {closures} WHERE clinic_id = %s AND first_day <= %s AND last_day >= %s "
        f"UNION ALL SELECT {_ROOM}, id, NULL, NULL, NULL, NULL, CAST(equipment AS TEXT), capacity "
        f"FROM {rooms} WHERE clinic_id = %s AND is_active = %s "
        f"UNION ALL SELECT {_OFFER}, CASE WHEN EXISTS (SELECT 1 FROM {offered} "
        "WHERE practitioner_id = %s AND service_id = %s) THEN 1 ELSE 0 END, "
        f"NULL, NULL, NULL, NULL, NULL, CASE WHEN EXISTS (SELECT 1 FROM {listed} "
        "WHERE practitioner_id = %s AND clinic_id = %s) THEN 1 ELSE 0 END"
    )


# SQLite hands back dates and times as text, PostgreSQL as Python values. Both
# send the equipment list as JSON text, since a UNION needs one type per column.


def _time(value: time | str) -> time:
    return time.fromisoformat(value) if isinstance(value, str) else value


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _maybe_day(value: date | str | None) -> date | None:
    return None if value is None else _day(value)


def _json(value: str | None) -> Sequence[str]:
    return json.loads(value) if value else ()
