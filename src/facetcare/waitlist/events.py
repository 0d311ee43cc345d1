"""What the booking service tells the waitlist: a slot has freed.

Booking knows nothing of the waitlist beyond this one call; the work itself is
a task, queued once the cancellation has committed, so a cancel never waits for
offers to be made or emailed.
"""

from functools import partial

from django.db import transaction

from facetcare.booking.models import Appointment


def queue_slot_freed(appointment: Appointment) -> None:
    """After commit, offer the slot ``appointment`` (now cancelled or moved) left."""
    # Imported here: the waitlist's services book through the booking service,
    # which imports this module.
    from facetcare.waitlist.tasks import offer_freed_slot

    transaction.on_commit(partial(offer_freed_slot.enqueue, appointment.pk), robust=True)
