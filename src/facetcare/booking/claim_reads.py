"""What a booking reads inside its transaction: one practitioner's day at one clinic.

The availability selector answers questions about many clinics and days; a
booking asks about exactly one practitioner, one clinic and one local day, and
asks it on every write. So the write path reads that directory slice (whether
the practitioner offers the service and is listed at the clinic, their hours
there, the clinic's opening hours and closures that day, its active rooms) in
one statement of plain SQL; then it locks, and only then reads the live
bookings that overlap the requested time (``lock_and_read_live``).

The directory slice may be read before the locks: the locks serialise bookings,
not edits to hours or rooms, so reading it after them would be no fresher.
"""

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import connection

from facetcare.booking.locks import lock_then_read
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
    WorkingHours,
)
from facetcare.core.scheduling.types import ClosedDays, Interval, RoomSpec, WeeklyHours

_WORKING, _OPENING, _CLOSURE, _ROOM, _OFFER = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class PractitionerDay:
    """One practitioner's day at one clinic, as a booking reads it."""

    roster: Roster
    offers_service: bool
    listed_at_clinic: bool


def practitioner_day(
    *, service: Service, clinic: Clinic, practitioner_id: int, local_day: date
) -> PractitionerDay:
    """The roster for ``practitioner_id`` at ``clinic`` on ``local_day``, read fresh,
    with whether they offer ``service`` and are listed at ``clinic``.

    The practitioner is in it even without hours that day (the engine then
    says why the start cannot be booked); rooms are the active ones that carry
    the service's equipment.
    """
    sql, params = _directory_sql(clinic.pk, practitioner_id, service.pk, local_day)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
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
    return PractitionerDay(roster, offers, listed)


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
