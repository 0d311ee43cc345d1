"""Searches across many clinics that read bookings piece by piece, through a loader.

``first_slots`` needs every booking of the whole window up front. Across a busy
network that is most of the work, although the answer usually lies in the
first hours. The searches here ask a caller-supplied loader for only the piece
they are about to examine and stop as soon as the answer is known; they return
exactly what ``first_slots`` returns for the same inputs (the tests hold them
to that). The loader is a plain function, so the engine stays free of any
database: the booking app's selector passes one that queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from facetcare.core.scheduling.calendar import from_us, to_us
from facetcare.core.scheduling.engine import ClinicIndex, Rules
from facetcare.core.scheduling.intervals import intersect
from facetcare.core.scheduling.slots import distance_key, first_slots, slots_starting_between
from facetcare.core.scheduling.types import (
    ClinicAvailabilityInput,
    ClinicCalendar,
    Interval,
    ServiceSpec,
    Slot,
    require_aware,
)

SpanLoader = Callable[[Interval], Sequence[ClinicAvailabilityInput]]
ClinicLoader = Callable[[Sequence[ClinicCalendar]], Sequence[ClinicAvailabilityInput]]
FIRST_SPAN = timedelta(hours=2)


def earliest_slots_by_span(
    *,
    service: ServiceSpec,
    load: SpanLoader,
    window: Interval,
    first_day: date,
    days: int,
    now: datetime,
    limit: int,
    first_span: timedelta = FIRST_SPAN,
    directory: Sequence[ClinicAvailabilityInput] = (),
) -> list[Slot]:
    """``first_slots(..., near=None)`` over the sites ``load`` gives, examined span by span.

    ``window`` must cover every clinic's local days ``first_day`` .. +days-1 (it
    may cover more). Starting at ``now + min_notice`` (or the window's start, if
    later) the search examines slot starts in spans of ``first_span``, doubling
    after each, and stops once ``limit`` slots start before the end of the span
    just examined: no later span can offer an earlier one. Time in which no
    practitioner could start (nights, closures) is skipped without loading, and
    the span shrinks back to ``first_span`` after such a jump.

    ``load(reach)`` returns the sites with at least every live booking and time
    off overlapping ``reach``; their calendars, practitioners' working hours and
    rooms must be the same on every call. ``reach`` is widened by the service's
    buffers and duration beyond the span of starts, so a booking that touches a
    candidate's occupied time is always inside it. ``directory``, when given, is
    the same sites without bookings or time off: with it the time before anyone
    could start is skipped before the first load too, not only after it (a
    question asked at night would otherwise read the night first). Raises
    NaiveDatetimeError for a naive ``now`` and ValueError for a span that is not
    positive.
    """
    now_us = to_us(require_aware(now, "now"))
    if first_span <= timedelta(0):
        raise ValueError("The first span must be positive")
    if limit <= 0 or days <= 0:
        return []
    rules = Rules.of(service)
    start = max(to_us(window.start), now_us + rules.min_notice)
    end = min(to_us(window.end), now_us + rules.max_advance + 1)
    first_step = step = int(first_span / timedelta(microseconds=1))
    found: list[Slot] = []
    # Skipping looks only at calendars and working hours, which every load shares.
    indexes = [ClinicIndex(site, service) for site in directory]
    while start < end and len(found) < limit:
        if indexes:
            # Skip time in which nobody works (nights, closed days) without loading it.
            opens = _earliest_possible(indexes, first_day, days, start)
            if opens is None:
                break
            if opens > start:
                start, step = opens, first_step
        stop = min(end, start + step)
        # A start just before ``stop`` occupies time up to duration and buffer after it.
        reach_end = stop + rules.duration + rules.after
        sites = load(Interval(from_us(start - rules.before), from_us(reach_end)))
        indexes = [ClinicIndex(site, service) for site in sites]
        found.extend(
            slots_starting_between(
                service=service,
                sites=sites,
                first_day=first_day,
                days=days,
                now=now,
                start=from_us(start),
                end=from_us(stop),
            )
        )
        start, step = stop, step * 2
    return found[:limit]


def _earliest_possible(
    indexes: Sequence[ClinicIndex], first_day: date, days: int, at: int
) -> int | None:
    """A lower bound on any slot start from ``at`` on, across ``indexes``: the earliest
    of each clinic's ``earliest_possible``; None if none has one in the days asked about."""
    found = (earliest_possible(index, first_day, days, at) for index in indexes)
    return min((opens for opens in found if opens is not None), default=None)


def earliest_possible(index: ClinicIndex, first_day: date, days: int, at: int) -> int | None:
    """The first instant (microseconds since the epoch, UTC) from ``at`` on at which some
    practitioner's opening-and-working interval at the clinic could hold the service,
    whatever is booked: a lower bound on its slot starts. Nights and closed days are
    skipped unread; None if there is none in the ``days`` from ``first_day``."""
    rules = index.rules
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if index.day(day).end <= at or index.is_closed(day):
            continue
        starts = [
            max(low + rules.before, at)
            for practitioner in index.site.practitioners
            for low, high in intersect(index.opening(day), index.working(practitioner, day))
            if max(low + rules.before, at) + rules.duration + rules.after <= high
        ]
        if starts:
            # The clinic's later days cannot offer anything earlier.
            return min(starts)
    return None


def nearest_slots_by_batch(
    *,
    service: ServiceSpec,
    clinics: Sequence[ClinicCalendar],
    load: ClinicLoader,
    near: tuple[float, float],
    first_day: date,
    days: int,
    now: datetime,
    limit: int,
) -> list[Slot]:
    """``first_slots(..., near=near)`` over the clinics, loading the nearest first.

    Clinics are taken in order of ``distance_key`` in batches of 1, 1, 2, 4, ...
    ``load(batch)`` returns the sites of exactly those clinics, each with every
    live booking and time off overlapping its local days ``first_day`` .. +days-1.
    Stops loading once ``limit`` slots are found. Raises NaiveDatetimeError for a
    naive ``now``.
    """
    require_aware(now, "now")
    ordered = sorted(clinics, key=lambda clinic: distance_key(clinic, near))
    found: list[Slot] = []
    taken, size = 0, 1
    while taken < len(ordered) and len(found) < limit:
        batch = ordered[taken : taken + size]
        found.extend(
            first_slots(
                service=service,
                sites=load(batch),
                first_day=first_day,
                days=days,
                now=now,
                limit=limit - len(found),
                near=near,
            )
        )
        taken, size = taken + len(batch), max(size, taken + len(batch))
    return found
