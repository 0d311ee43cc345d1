"""Public entry points of the availability engine (contracts only; see docstrings)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from facetcare.core.scheduling.types import (
    ClinicAvailabilityInput,
    PractitionerSchedule,
    ServiceSpec,
    Slot,
)


def find_slots(
    *,
    service: ServiceSpec,
    site: ClinicAvailabilityInput,
    first_day: date,
    days: int,
    now: datetime,
    practitioner_id: int | None = None,
) -> list[Slot]:
    """All bookable slots for ``service`` at one clinic over local days ``first_day`` .. +days-1.

    Contract:
    - ``now`` must be aware (else NaiveDatetimeError); slots start no earlier than
      ``now + service.min_notice`` and no later than ``now + service.max_advance``.
    - Candidate starts lie on the clinic's local wall-clock grid of ``service.slot_step``
      (minutes since local midnight divisible by the step).
    - A slot's occupied span ``[start - buffer_before, end + buffer_after)`` lies inside
      one opening interval and one working interval of the practitioner (local, on a
      day not closed), overlaps no time off and no other live booking's occupied span
      of the practitioner or of the room, and a room with every required equipment tag
      is free for it. For classes (capacity > 1) an existing session with places left is
      offered at its start with ``places_left``; a full one is not offered.
    - ``practitioner_id`` limits the answer to one practitioner; otherwise every
      practitioner in ``site`` is considered.
    - Returned sorted by (start, practitioner_id); instants in UTC.
    """
    raise NotImplementedError


def first_slots(
    *,
    service: ServiceSpec,
    sites: Sequence[ClinicAvailabilityInput],
    first_day: date,
    days: int,
    now: datetime,
    limit: int,
    near: tuple[float, float] | None = None,
) -> list[Slot]:
    """The first ``limit`` slots across clinics.

    Without ``near``: earliest first (ties by clinic id, practitioner id). With
    ``near=(lat, lon)``: clinics by great-circle distance, nearest first, and
    earliest first within a clinic. Stops computing as soon as the answer is known.
    """
    raise NotImplementedError


def has_slot_today(*, service: ServiceSpec, site: ClinicAvailabilityInput, now: datetime) -> bool:
    """Whether anything is left for ``service`` at the clinic on its local today."""
    raise NotImplementedError


def check_slot(
    *,
    service: ServiceSpec,
    site: ClinicAvailabilityInput,
    practitioner: PractitionerSchedule,
    start: datetime,
    now: datetime,
) -> Slot:
    """Validate one proposed start for one practitioner; return the Slot (with a room).

    Raises SlotUnavailable with the first failing reason, in the order the reasons
    are listed on that class. Used by the booking service inside its transaction.
    """
    raise NotImplementedError
