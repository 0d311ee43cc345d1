"""What a booking reads inside its transaction, and the insert that claims its slot.

The availability selector answers questions about many clinics and days; a
booking asks about exactly one practitioner, one clinic and one local day, and
asks it on every write. So the write path reads that directory slice (whether
the practitioner offers the service and is listed at the clinic, their hours
there, the clinic's opening hours and closures that day, its active rooms), the
live bookings and time off overlapping the requested time, and takes the
practitioner's and the clinic's rooms' locks, all in one statement of plain SQL
(``lock_day``); the engine decides on the slot from what it read.

That statement's reads see the database as it was when it began, before any
wait for the locks, so a booking that had to wait may have missed what the
locks' previous holder committed. The insert, a later statement, therefore
claims the slot only if no live booking now overlaps it on its practitioner or
its room (its class session apart) and its class session has as many places
taken as when the engine decided (``insert_claimed``). Otherwise nothing is
inserted and the booking, holding the locks, reads again (``read_live_again``)
and decides again. A booking that meets no competitor makes two statements
here, where reading, locking, reading again and inserting made four.

The directory slice may be read before the locks: the locks serialise
bookings, not edits to hours or rooms, so reading it after them would be no
fresher.
"""

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db import connection

from facetcare import plain_sql
from facetcare.booking.locks import clinic_locks, lock_then_read
from facetcare.booking.models import Appointment
from facetcare.booking.roster import (
    MAX_OCCUPIED_SPAN,
    ClinicRows,
    Live,
    Roster,
    live_statement,
    parse_live,
    read_live,
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

_WORKING, _OPENING, _CLOSURE, _ROOM, _OFFER, _BOOKED, _TIME_OFF = range(7)


def _nothing_live() -> Live:
    return Live([], {})


@dataclass(frozen=True, slots=True)
class PractitionerDay:
    """One practitioner's day at one clinic, as a booking reads it: the directory
    slice, and what was live in the requested time when it was read."""

    roster: Roster
    offers_service: bool
    listed_at_clinic: bool
    live: Live = field(default_factory=_nothing_live)


@dataclass(frozen=True, slots=True)
class Claim:
    """A slot the engine chose from the day's read, and what that read saw of it: the
    booking's session key, and how many live places its class session held (0 for
    an appointment of its own)."""

    slot: Slot
    day: PractitionerDay
    occupied: Interval
    session_key: str
    places_taken: int


def practitioner_day(
    *, service: Service, clinic: Clinic, practitioner_id: int, local_day: date
) -> PractitionerDay:
    """The roster for ``practitioner_id`` at ``clinic`` on ``local_day``, read fresh,
    with whether they offer ``service`` and are listed at ``clinic``.

    The practitioner is in it even without hours that day (the engine then
    says why the start cannot be booked); rooms are the active ones that carry
    the service's equipment.
    """
    return _read_day(service, clinic, practitioner_id, local_day, window=None)


def lock_day(
    *, service: Service, clinic: Clinic, practitioner_id: int, local_day: date, window: Interval
) -> PractitionerDay:
    """``practitioner_day``, with the live bookings of the practitioner and the
    clinic's active rooms and the practitioner's time off that overlap ``window``,
    and the practitioner's and the clinic's rooms' locks taken (``locks``): one
    statement. Its reads may predate the locks (see the module's docstring). Must
    run inside a transaction; the locks last until it ends.
    """
    return _read_day(service, clinic, practitioner_id, local_day, window=window)


def insert_claimed(appointment: Appointment, claim: Claim) -> bool:
    """Insert ``appointment`` (the claim's slot) if what the engine decided on still
    holds, in a statement after the locks were taken (``lock_day``). Returns
    whether it was inserted.

    It holds when no live booking overlaps the claim's occupied span on the
    practitioner or the chosen room, the class session being joined apart, and
    that session still holds ``places_taken`` live places. When it does not, the
    caller reads again (``read_live_again``) and decides again.
    """
    return plain_sql.insert(appointment, only_if=_unchanged(claim))


def read_live_again(claim: Claim) -> Live:
    """What is live in the claim's occupied span for its practitioner and the day's
    candidate rooms, read after the locks ``lock_day`` took, so it sees what their
    previous holders committed."""
    return read_live(
        practitioner_ids=[claim.slot.practitioner_id],
        room_ids=claim.day.roster.room_ids(),
        window=claim.occupied,
    )


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


def _read_day(
    service: Service,
    clinic: Clinic,
    practitioner_id: int,
    local_day: date,
    *,
    window: Interval | None,
) -> PractitionerDay:
    locks = clinic_locks(practitioner_id=practitioner_id, clinic_id=clinic.pk) if window else None
    sql, params = _day_sql(clinic.pk, practitioner_id, service.pk, local_day)
    if locks is not None:
        sql = sql.replace(_NO_LOCKS, f"CAST({locks[0]} AS TEXT) AS locks", 1)
        params = [*params, *locks[1]]
    if window is not None:
        live_sql, live_params = _live_sql(clinic.pk, practitioner_id, window)
        sql, params = f"{sql} UNION ALL {live_sql}", [*params, *live_params]
    (rows,) = plain_sql.fetch_each([(sql, params)])
    return _parse_day(service, clinic, practitioner_id, rows)


def _parse_day(
    service: Service, clinic: Clinic, practitioner_id: int, rows: Sequence[Sequence[Any]]
) -> PractitionerDay:
    rows_of_clinic = ClinicRows(
        clinic.pk, clinic.time_zone, float(clinic.latitude), float(clinic.longitude)
    )
    hours: list[WeeklyHours] = []
    live: list[tuple[Any, ...]] = []
    required = frozenset(service.required_equipment or ())
    offers = listed = False
    for kind, number, other, starts, ends, first, last, text in rows:
        if kind >= _BOOKED:
            # Back into the shape of a roster live read: kind, practitioner, room,
            # occupied start and end, session key, start, service.
            service_id = None if text is None else int(text)
            live.append((kind - _BOOKED, number, other, starts, ends, first, last, service_id))
        elif kind == _OFFER:
            offers, listed = bool(number), bool(other)
        elif kind == _WORKING:
            hours.append(
                WeeklyHours(number, _time(starts), _time(ends), _day(first), _maybe_day(last))
            )
        elif kind == _OPENING:
            rows_of_clinic.opening.append(WeeklyHours(number, _time(starts), _time(ends)))
        elif kind == _CLOSURE:
            rows_of_clinic.closures.append(ClosedDays(_day(first), _day(last)))
        else:
            room = RoomSpec(number, frozenset(_json(text)), other)
            # A room without the service's equipment can never host it.
            if room.carries(required):
                rows_of_clinic.rooms.append(room)
    rows_of_clinic.rooms.sort(key=lambda room: room.room_id)
    roster = Roster([rows_of_clinic], {clinic.pk: {practitioner_id: hours}}, MAX_OCCUPIED_SPAN)
    return PractitionerDay(roster, offers, listed, parse_live(live))


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


def _live_sql(clinic_id: int, practitioner_id: int, window: Interval) -> plain_sql.Statement:
    adapt = connection.ops.adapt_datetimefield_value
    start, end = adapt(window.start), adapt(window.end)
    params: list[Any] = [practitioner_id, clinic_id, True]
    params += [adapt(window.start - MAX_OCCUPIED_SPAN), end, start]
    params += [Appointment.Status.CANCELLED, practitioner_id, start, end]
    return _live_text(connection.vendor), params


@functools.cache
def _live_text(vendor: str) -> str:
    """The live read of ``roster.live_statement`` for one practitioner and the active
    rooms of one clinic (not known yet when it is sent), in the day read's columns."""
    quote = connection.ops.quote_name
    appointments, leave = quote(Appointment._meta.db_table), quote(TimeOff._meta.db_table)
    rooms, end_column = quote(Room._meta.db_table), quote("end")
    # PostgreSQL answers "= ANY (ARRAY(subquery))" with index scans on the
    # (room, occupied_start) index for each room; an IN (subquery) it would plan as a
    # join. SQLite answers IN (subquery) from the index.
    room_ids = f"SELECT id FROM {rooms} WHERE clinic_id = %s AND is_active = %s"  # noqa: S608
    in_rooms = f"= ANY (ARRAY({room_ids}))" if vendor == "postgresql" else f"IN ({room_ids})"
    # Only quoted table and column names and placeholders are put into the text.
    return (
        f"SELECT {_BOOKED}, practitioner_id, room_id, {_text('occupied_start')}, "  # noqa: S608
        f"{_text('occupied_end')}, session_key, {_text('start')}, {_text('service_id')} "
        f"FROM {appointments} WHERE (practitioner_id = %s OR room_id {in_rooms}) "
        "AND occupied_start >= %s AND occupied_start < %s AND occupied_end > %s "
        "AND status <> %s "
        f"UNION ALL SELECT {_TIME_OFF}, practitioner_id, NULL, {_text('start')}, "
        f"{_text(end_column)}, NULL, NULL, NULL FROM {leave} WHERE practitioner_id = %s "
        f"AND {end_column} > %s AND start < %s"
    )


def _day_sql(
    clinic_id: int, practitioner_id: int, service_id: int, day: date
) -> tuple[str, list[Any]]:
    adapt = connection.ops.adapt_datefield_value
    params: list[Any] = [practitioner_id, clinic_id, adapt(day), adapt(day)]
    params += [clinic_id, clinic_id, adapt(day), adapt(day), clinic_id, True]
    params += [practitioner_id, service_id, practitioner_id, clinic_id]
    return _day_text(connection.vendor), params


# Where the offer row carries the locks' expression (``clinic_locks``), when they
# are taken: that row is always there, so the expression is always evaluated.
_NO_LOCKS = "CAST(NULL AS TEXT) AS locks"


@functools.cache
def _day_text(vendor: str) -> str:
    quote = connection.ops.quote_name
    working, opening = quote(WorkingHours._meta.db_table), quote(OpeningHours._meta.db_table)
    closures, rooms = quote(Closure._meta.db_table), quote(Room._meta.db_table)
    offered = quote(Practitioner.services.through._meta.db_table)
    listed = quote(Practitioner.clinics.through._meta.db_table)
    t = _text
    # Only quoted table names and placeholders are put into the text.
    return (
        f"SELECT {_WORKING}, weekday, 0, {t('starts')}, {t('ends')}, {t('valid_from')}, "  # noqa: S608
        f"{t('valid_until')}, CAST(NULL AS TEXT) FROM {working} "
        "WHERE practitioner_id = %s AND clinic_id = %s AND valid_from <= %s "
        "AND (valid_until IS NULL OR valid_until >= %s) "
        f"UNION ALL SELECT {_OPENING}, weekday, 0, {t('opens')}, {t('closes')}, NULL, NULL, NULL "
        f"FROM {opening} WHERE clinic_id = %s "
        f"UNION ALL SELECT {_CLOSURE}, NULL, 0, NULL, NULL, {t('first_day')}, {t('last_day')}, "
        f"NULL FROM {closures} WHERE clinic_id = %s AND first_day <= %s AND last_day >= %s "
        f"UNION ALL SELECT {_ROOM}, id, capacity, NULL, NULL, NULL, NULL, {t('equipment')} "
        f"FROM {rooms} WHERE clinic_id = %s AND is_active = %s "
        f"UNION ALL SELECT {_OFFER}, CASE WHEN EXISTS (SELECT 1 FROM {offered} "
        "WHERE practitioner_id = %s AND service_id = %s) THEN 1 ELSE 0 END, "
        f"CASE WHEN EXISTS (SELECT 1 FROM {listed} "
        "WHERE practitioner_id = %s AND clinic_id = %s) THEN 1 ELSE 0 END, "
        f"NULL, NULL, NULL, NULL, {_NO_LOCKS}"
    )


def _text(column: str) -> str:
    # Every column but the numbers comes back as text, as one UNION column must have
    # one type: SQLite hands dates, times and instants back as text anyway, and
    # parsing ISO 8601 text is faster than the driver's conversions.
    return f"CAST({column} AS TEXT)"


def _time(value: time | str) -> time:
    return time.fromisoformat(value) if isinstance(value, str) else value


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _maybe_day(value: date | str | None) -> date | None:
    return None if value is None else _day(value)


def _json(value: str | None) -> Sequence[str]:
    return json.loads(value) if value else ()
