"""Public entry points of the availability engine.

Every instant given must be timezone-aware (else NaiveDatetimeError) and every
instant returned is UTC. Wall-clock rules on daylight-saving days (skipped and
repeated local times) are stated in ``calendar``: in short, a boundary that does
not exist means the moment clocks jump over it, a repeated boundary means its
first occurrence, and slot starts exist at every real instant whose local
reading is on the grid (none in a spring gap, both occurrences in an autumn
overlap).

Per practitioner and local day the engine computes free time once, as sorted
disjoint intervals (opening ∩ working − time off − bookings), then walks the
slot grid only inside them and picks a room by binary search over each room's
busy intervals.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from math import inf

from facetcare.core.scheduling.calendar import LocalDay, local_date, to_us
from facetcare.core.scheduling.checks import check_start
from facetcare.core.scheduling.engine import ClinicIndex, DayBookings
from facetcare.core.scheduling.errors import SlotUnavailable
from facetcare.core.scheduling.geo import haversine_km
from facetcare.core.scheduling.intervals import Span, intersect, subtract
from facetcare.core.scheduling.types import (
    ClinicAvailabilityInput,
    ClinicCalendar,
    PractitionerSchedule,
    ServiceSpec,
    Slot,
    require_aware,
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

    Touching opening (or working) intervals count as one. ``site.bookings`` should
    hold every live booking of the site's practitioners and rooms that may overlap
    the days asked about, wherever it is, since a practitioner cannot be in two places.
    An existing class session is offered at its own start even if that is no longer on
    the grid; the room chosen for a new slot is the free equipped one with the lowest id.
    """
    now_us = to_us(require_aware(now, "now"))
    index = ClinicIndex(site, service)
    chosen = [
        practitioner
        for practitioner in site.practitioners
        if practitioner_id is None or practitioner.practitioner_id == practitioner_id
    ]
    found: list[Slot] = []
    for offset in range(max(days, 0)):
        day = first_day + timedelta(days=offset)
        found.extend(_clinic_day(index, chosen, day, now_us))
    return found


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

    Clinics without coordinates come after those with, by clinic id. ``now`` must be
    aware; each clinic's days are its own local days from ``first_day``.
    """
    now_us = to_us(require_aware(now, "now"))
    if limit <= 0 or days <= 0:
        return []
    indexes = [ClinicIndex(site, service) for site in sites]
    if near is None:
        return _earliest(indexes, first_day, days, now_us, limit)
    return _nearest(indexes, near=near, first_day=first_day, days=days, now=now_us, limit=limit)


def slots_starting_between(
    *,
    service: ServiceSpec,
    sites: Sequence[ClinicAvailabilityInput],
    first_day: date,
    days: int,
    now: datetime,
    start: datetime,
    end: datetime,
) -> list[Slot]:
    """Every slot across ``sites`` that ``find_slots`` offers and that starts in ``[start, end)``.

    Sorted earliest first, ties by clinic id then practitioner id (the order of
    ``first_slots`` without ``near``). ``now``, ``start`` and ``end`` must be aware
    (else NaiveDatetimeError). Each clinic's days are its own local days from
    ``first_day``. Only bookings and time off overlapping
    ``[start - buffer_before, end + duration + buffer_after)`` can change the answer,
    so a site needs to hold only those: this is what lets a caller load a long
    window piece by piece.
    """
    now_us = to_us(require_aware(now, "now"))
    within = (to_us(require_aware(start, "start")), to_us(require_aware(end, "end")))
    found: list[Slot] = []
    for site in sites:
        index = ClinicIndex(site, service)
        for offset in range(max(days, 0)):
            day = first_day + timedelta(days=offset)
            local = index.day(day)
            if local.start < within[1] and within[0] < local.end:
                found.extend(_clinic_day(index, site.practitioners, day, now_us, within))
    found.sort(key=lambda slot: (slot.start, slot.clinic_id, slot.practitioner_id))
    return found


def has_slot_today(*, service: ServiceSpec, site: ClinicAvailabilityInput, now: datetime) -> bool:
    """Whether anything is left for ``service`` at the clinic on its local today.

    "Today" is the clinic's local date at ``now`` (aware, else NaiveDatetimeError);
    the usual notice and horizon rules apply. Stops at the first slot found.
    """
    now_us = to_us(require_aware(now, "now"))
    index = ClinicIndex(site, service)
    today = local_date(index.zone, now_us)
    return any(
        _practitioner_day(index, practitioner, today, now_us) for practitioner in site.practitioners
    )


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

    ``start`` and ``now`` must be aware (else NaiveDatetimeError). The room is the free
    equipped one with the lowest id; joining an existing class session means its room.
    A start accepted here is exactly one ``find_slots`` offers for that practitioner.
    """
    start_us = to_us(require_aware(start, "start"))
    now_us = to_us(require_aware(now, "now"))
    return check_start(ClinicIndex(site, service), practitioner, start_us, now_us)


def _clinic_day(
    index: ClinicIndex,
    practitioners: Sequence[PractitionerSchedule],
    day: date,
    now: int,
    within: Span | None = None,
) -> list[Slot]:
    found: list[Slot] = []
    for practitioner in practitioners:
        found.extend(_practitioner_day(index, practitioner, day, now, within))
    if len(practitioners) > 1:
        found.sort(key=lambda slot: (slot.start, slot.practitioner_id))
    return found


def _practitioner_day(
    index: ClinicIndex,
    practitioner: PractitionerSchedule,
    day: date,
    now: int,
    within: Span | None = None,
) -> list[Slot]:
    """The practitioner's slots on local ``day``, only those starting in ``within`` if given."""
    rules = index.rules
    low, high = now + rules.min_notice, now + rules.max_advance
    if within is not None:
        low, high = max(low, within[0]), min(high, within[1] - 1)
        if low > high:
            return []
    local = index.day(day)
    if local.end <= low or local.start > high or index.is_closed(day):
        return []
    base = intersect(index.opening(day), index.working(practitioner, day))
    if not base:
        return []
    base = subtract(base, index.time_off(practitioner))
    bookings = index.bookings(day)
    pid = practitioner.practitioner_id
    free = subtract(base, bookings.practitioner.get(pid, ()))
    found = list(
        _new_starts(index, local=local, bookings=bookings, pid=pid, free=free, window=(low, high))
    )
    if rules.capacity > 1:
        joinable = _joinable(index, practitioner, bookings, local, now)
        if within is not None:
            joinable = [slot for slot in joinable if low <= to_us(slot.start) <= high]
        if joinable:
            found.extend(joinable)
            found.sort(key=lambda slot: slot.start)
    return found


def _new_starts(
    index: ClinicIndex,
    *,
    local: LocalDay,
    bookings: DayBookings,
    pid: int,
    free: list[Span],
    window: Span,
) -> Iterator[Slot]:
    rules = index.rules
    for first, last in free:
        low = max(first + rules.before, window[0])
        high = min(last - rules.duration - rules.after, window[1])
        if low > high:
            continue
        for start in local.grid(low, high, rules.step):
            room = index.free_room(bookings, rules.occupied(start))
            if room is not None:
                yield index.slot(pid, start, room, index.places(room))


def _joinable(
    index: ClinicIndex,
    practitioner: PractitionerSchedule,
    bookings: DayBookings,
    local: LocalDay,
    now: int,
) -> list[Slot]:
    found: list[Slot] = []
    for pid, start in bookings.sessions:
        if pid != practitioner.practitioner_id or not local.start <= start < local.end:
            continue
        try:
            found.append(check_start(index, practitioner, start, now))
        except SlotUnavailable:
            continue
    return found


def _earliest(
    indexes: Sequence[ClinicIndex], first_day: date, days: int, now: int, limit: int
) -> list[Slot]:
    # Clinics wait in a heap keyed by the earliest instant their next day could offer;
    # once ``limit`` slots are known that all start before that, no clinic can improve.
    waiting = [
        (_day_bound(index, first_day, now), index.clinic_id, n, 0)
        for n, index in enumerate(indexes)
    ]
    heapq.heapify(waiting)
    best: list[tuple[int, int, int, int, Slot]] = []
    while waiting:
        bound, clinic_id, n, offset = waiting[0]
        if len(best) >= limit and -best[0][0] < bound:
            break
        heapq.heappop(waiting)
        index = indexes[n]
        day = first_day + timedelta(days=offset)
        for slot in _clinic_day(index, index.site.practitioners, day, now):
            entry = (-to_us(slot.start), -clinic_id, -slot.practitioner_id, len(best), slot)
            if len(best) < limit:
                heapq.heappush(best, entry)
            elif entry > best[0]:
                heapq.heapreplace(best, entry)
        if offset + 1 < days:
            next_day = day + timedelta(days=1)
            heapq.heappush(waiting, (_day_bound(index, next_day, now), clinic_id, n, offset + 1))
    return [entry[-1] for entry in sorted(best, reverse=True)]


def _day_bound(index: ClinicIndex, day: date, now: int) -> int:
    opening = index.opening(day)
    earliest = opening[0][0] + index.rules.before if opening else index.day(day).start
    return max(earliest, now + index.rules.min_notice)


def _nearest(
    indexes: Sequence[ClinicIndex],
    *,
    near: tuple[float, float],
    first_day: date,
    days: int,
    now: int,
    limit: int,
) -> list[Slot]:
    found: list[Slot] = []
    for index in sorted(indexes, key=lambda index: distance_key(index.site.clinic, near)):
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            found.extend(_clinic_day(index, index.site.practitioners, day, now))
            if len(found) >= limit:
                return found[:limit]
    return found


def distance_key(clinic: ClinicCalendar, near: tuple[float, float]) -> tuple[float, int]:
    """Where ``clinic`` comes when ordering by distance from ``near``: kilometres, then id.

    Clinics without coordinates sort after every placed one, by clinic id.
    """
    if clinic.latitude is None or clinic.longitude is None:
        return (inf, clinic.clinic_id)
    return (haversine_km(near, (clinic.latitude, clinic.longitude)), clinic.clinic_id)
