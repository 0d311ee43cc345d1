"""Reception's changes to a booking: cancel or move it, with a reason and who did it.

The booking services do the work (``cancel_appointment``, ``reschedule_appointment``);
these add the reason a person gave and an audit version naming them, in the same
transaction, so a change is never recorded without its reason or the other way
round.
"""

from datetime import datetime
from typing import Any

from django.db import transaction

from facetcare.audit.services import record_version
from facetcare.booking.models import Appointment
from facetcare.booking.services import BookingResult, cancel_appointment, reschedule_appointment
from facetcare.clinics.models import Practitioner
from facetcare.errors import Forbidden, InvalidInput
from facetcare.web.roles import Role, has_role

# Who may book, cancel and move bookings from the diary.
DESK_ROLES = (Role.RECEPTIONIST, Role.MANAGER)
MAX_REASON = 150
MOVED_PREFIX = "Moved by reception: "


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if len(text) < 3:
        raise InvalidInput("Give a reason, in a few words", field="reason")
    if len(text) > MAX_REASON:
        raise InvalidInput(f"Keep the reason under {MAX_REASON} characters", field="reason")
    return text


def _require_desk(user: Any, doing: str) -> None:
    if not has_role(user, *DESK_ROLES):
        raise Forbidden(f"Only reception or a clinic manager may {doing}")


def cancel_booking(
    *, appointment: Appointment, reason: str, by_user: Any, now: datetime | None = None
) -> Appointment:
    """Cancel a booking for the clinic with ``reason``; see ``cancel_appointment``.

    Raises InvalidInput (field ``reason``) without a reason, Forbidden for
    anyone but reception or a manager, and what ``cancel_appointment`` raises.
    """
    _require_desk(by_user, "cancel a booking")
    text = _reason(reason)
    with transaction.atomic():
        cancelled = cancel_appointment(
            appointment=appointment, by_user=by_user, reason=text, now=now
        )
        record_version(instance=cancelled, changed_by=by_user, reason=f"Cancelled: {text}")
    return cancelled


def move_booking(
    *,
    appointment: Appointment,
    new_start: datetime,
    new_practitioner: Practitioner | None,
    reason: str,
    by_user: Any,
    now: datetime | None = None,
) -> BookingResult:
    """Move a booking to ``new_start`` (and perhaps another practitioner) with ``reason``.

    The original is kept, cancelled with "Moved by reception: <reason>", and
    linked to the new booking. Raises as ``cancel_booking`` does, and what
    ``reschedule_appointment`` raises (SlotTaken, InvalidInput for the start).
    """
    _require_desk(by_user, "move a booking")
    text = _reason(reason)
    with transaction.atomic():
        result = reschedule_appointment(
            appointment=appointment,
            new_start=new_start,
            new_practitioner=new_practitioner,
            by_user=by_user,
            now=now,
        )
        old = result.appointment.rescheduled_from
        assert old is not None  # reschedule_appointment links the new booking to the old
        old.cancellation_reason = f"{MOVED_PREFIX}{text}"[:200]
        old.save(update_fields=["cancellation_reason"])
        record_version(instance=old, changed_by=by_user, reason=f"Moved: {text}")
        record_version(instance=result.appointment, changed_by=by_user, reason=f"Moved: {text}")
    return result
