"""The one place where the booking service takes its locks, always in the same order.

Two bookings that need the same practitioner or room must not decide on the
slot at the same time: each would see the other's slot as free, and for a class
each would count the places before the other took one. A booking transaction
locks its practitioner and then its clinic's active rooms (each in ascending id
order) in the statement of its first read (``clinic_locks``), and its insert, a
later statement, checks that what it decided on still holds (``claim_reads``):
that first read may predate the locks, but the insert sees what their previous
holders committed. When the check fails, the booking reads again under the
locks and decides again. Taking the locks in one global order means two
transactions can wait for each other but never deadlock. The PostgreSQL
exclusion constraints stay as the last line of defence.

On PostgreSQL these are transaction-scoped advisory locks, one per practitioner
or room, rather than row locks: a row lock is a write (the row's header, a WAL
record, a dirtied page), and a booking took one for every candidate room. An
advisory lock lives only in the server's lock table and goes with the
transaction. They serialise bookings, which is all they are for; edits of hours
or rooms never waited for them (see ``claim_reads``).

Rooms are locked rather than claimed optimistically (insert, and let the room
exclusion constraint refuse a clash): every booking takes the lowest free room,
so concurrent bookings at one clinic would all clash on the same room, and two
inserts that clash inside a GiST exclusion check can wait for each other until
the deadlock detector ends one a second later.

On SQLite there are no such locks: the IMMEDIATE transaction mode has already
taken the database's single write lock at BEGIN, so writers run one at a time.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Room
from facetcare.plain_sql import Statement, fetch_each

# Advisory lock spaces (the first of pg_advisory_xact_lock's two int4 keys), so
# practitioner 7 and room 7 are different locks. Practitioners sort first.
PRACTITIONER_LOCKS = 0x46430001
ROOM_LOCKS = 0x46430002
_INT4 = 2**31


def lock_then_read(
    *, practitioner_ids: Iterable[int], room_ids: Iterable[int], read: Statement
) -> list[tuple[Any, ...]]:
    """Lock the given practitioners, then the given rooms, in ascending id order, then
    run ``read`` under those locks and return its rows. The locks are one statement
    and ``read`` another, so ``read`` sees what the locks' previous holder committed.

    Must run inside ``transaction.atomic()``; the locks last until it ends.
    """
    _check_in_transaction()
    return fetch_each([*_lock_statements(practitioner_ids, room_ids), read])[-1]


def lock_keys(practitioner_ids: Iterable[int], room_ids: Iterable[int]) -> list[tuple[int, int]]:
    """The advisory lock keys, (space, number), in the order they are taken.

    Ids above the 32-bit range fold onto it: two resources then share a lock,
    which costs some waiting but never correctness, and sorting the folded keys
    keeps one global order.
    """
    keys = {(PRACTITIONER_LOCKS, pid % _INT4) for pid in practitioner_ids}
    keys |= {(ROOM_LOCKS, rid % _INT4) for rid in room_ids}
    return sorted(keys)


def clinic_locks(*, practitioner_id: int, clinic_id: int) -> Statement | None:
    """An SQL expression (text and parameters) that takes the practitioner's lock and
    then those of all the clinic's active rooms (a superset of any booking's
    candidate rooms there), in ascending order, and is worth the count taken; None
    on SQLite. For a caller that puts it in the statement of its first read.

    That statement's own reads see the database as it was when the statement
    began, before any wait for these locks; the statements after it see what the
    locks' previous holders committed. Must run inside ``transaction.atomic()``;
    the locks last until it ends.
    """
    _check_in_transaction()
    if connection.vendor != "postgresql":
        return None
    rooms = connection.ops.quote_name(Room._meta.db_table)
    # Ordered as lock_keys orders them (see _lock_statements on the ORDER BY); room
    # ids fold onto the 32-bit range as there.
    # Only a quoted table name and placeholders are put into the text.
    sql = (
        "(SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(k.space, k.number) "  # noqa: S608
        "FROM (SELECT CAST(%s AS int4) AS space, CAST(%s AS int4) AS number "
        f"UNION ALL SELECT CAST(%s AS int4), CAST(id %% {_INT4} AS int4) FROM {rooms} "
        "WHERE clinic_id = %s AND is_active = %s) AS k ORDER BY k.space, k.number) AS taken)"
    )
    return sql, [PRACTITIONER_LOCKS, practitioner_id % _INT4, ROOM_LOCKS, clinic_id, True]


def _check_in_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The booking locks must be taken inside a transaction")


def _lock_statements(practitioner_ids: Iterable[int], room_ids: Iterable[int]) -> list[Statement]:
    keys = lock_keys(practitioner_ids, room_ids)
    if connection.vendor != "postgresql" or not keys:
        return []
    # One statement for all of them, in order: PostgreSQL evaluates a select list
    # after ORDER BY when it is not itself sorted on (the SELECT reference page,
    # "the output list"), so each lock is taken in the sorted order of its key.
    sql = (
        "SELECT pg_advisory_xact_lock(k.space, k.number) "
        "FROM unnest(%s::int4[], %s::int4[]) AS k(space, number) ORDER BY k.space, k.number"
    )
    return [(sql, [[space for space, _ in keys], [number for _, number in keys]])]


def lock_appointment(*, appointment_id: int) -> Appointment | None:
    """Lock and re-read one appointment (for cancel and reschedule), or None if gone.

    Appointments are locked before practitioners and rooms wherever both are needed.
    """
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("service", "clinic", "practitioner", "patient")
        .filter(pk=appointment_id)
        .first()
    )
