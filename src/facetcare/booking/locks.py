"""The one place where the booking service takes row locks, always in the same order.

Two bookings that need the same practitioner or room must not check availability
at the same time: each would see the other's slot as free. Before reading the
bookings it is about to check, a booking transaction locks the practitioner rows
(ascending id) and then the candidate room rows (ascending id). Taking them in
one global order means two transactions can wait for each other but never
deadlock. The PostgreSQL exclusion constraints stay as the last line of defence.

On SQLite ``select_for_update`` is a no-op; there the IMMEDIATE transaction mode
has already taken the database's single write lock at BEGIN.
"""

from collections.abc import Iterable

from django.db import transaction

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Practitioner, Room


def lock_booking_resources(*, practitioner_ids: Iterable[int], room_ids: Iterable[int]) -> None:
    """Lock the given practitioners, then the given rooms, in ascending id order.

    Must run inside ``transaction.atomic()``; the locks last until it ends.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_booking_resources must be called inside a transaction")
    practitioners = sorted(set(practitioner_ids))
    rooms = sorted(set(room_ids))
    if practitioners:
        list(
            Practitioner.objects.select_for_update()
            .filter(pk__in=practitioners)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if rooms:
        list(
            Room.objects.select_for_update()
            .filter(pk__in=rooms)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


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
