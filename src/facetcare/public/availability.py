"""Availability as the public pages ask for it, answered with few reads.

Two questions the booking selectors do not answer in one go:

- "When is each clinic's next free appointment?" for the clinic list. Asked one
  clinic at a time it would cost a read per clinic; here every clinic still
  waiting is read together, span by span (an hour, then doubling), and a clinic
  drops out as soon as it has a slot, so a busy network needs a few reads.
- "Which days of this week have space, and what is free on the chosen one?" for
  the day strip and time list: one read of the clinic's week answers both, and
  also shows the class sessions that are full.

Both take the directory (who works where, opening hours, rooms) from the same
per-process cache as ``facetcare.booking.selectors``, or fresh inside a
transaction, and leave the slot rules to the pure engine.
"""

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from facetcare.booking.directory_cache import current_directory
from facetcare.booking.roster import Live, Roster, fresh_roster
from facetcare.booking.selectors import LocalSlot, local_day_bounds, service_spec
from facetcare.clinics.models import Clinic, Service
from facetcare.core.scheduling.calendar import from_us, to_us
from facetcare.core.scheduling.engine import ClinicIndex, Rules
from facetcare.core.scheduling.search import earliest_possible
from facetcare.core.scheduling.slots import find_slots, slots_starting_between
from facetcare.core.scheduling.types import ClinicAvailabilityInput, Interval, ServiceSpec, Slot

FIRST_SPAN = timedelta(hours=1)
WEEK = 7


def _roster(service: Service, clinics: Sequence[Clinic], first_day: date, days: int) -> Roster:
    """Who can give ``service`` at these active clinics over the days, as the selectors read it."""
    clinic_ids = [clinic.pk for clinic in clinics]
    directory = current_directory()
    if directory is not None:
        return directory.roster(
            service=service,
            clinic_ids=clinic_ids,
            practitioner_ids=None,
            first_day=first_day,
            days=days,
        )
    return fresh_roster(
        service=service,
        clinic_ids=clinic_ids,
        practitioner_ids=None,
        first_day=first_day,
        days=days,
        given_clinics=clinics,
    )


def _local(slot: Slot, zone: str) -> LocalSlot:
    where = ZoneInfo(zone)
    return LocalSlot(
        start=slot.start.astimezone(where),
        end=slot.end.astimezone(where),
        clinic_id=slot.clinic_id,
        practitioner_id=slot.practitioner_id,
        room_id=slot.room_id,
        places_left=slot.places_left,
    )


def next_free_slots(
    *, service: Service, clinics: Sequence[Clinic], now: datetime, days: int
) -> dict[int, LocalSlot]:
    """Each clinic's earliest bookable slot for ``service`` within ``days`` local days
    from its today, by clinic id; a clinic with none (or nobody giving the service)
    is left out. Times are in each clinic's zone.

    Each read covers one span of time (an hour, doubling while nothing turns up)
    and only the clinics that could start someone within it, so clinics that are
    closed now (a night, a weekend, another zone's evening) cost nothing until
    they open.
    """
    active = [clinic for clinic in clinics if clinic.is_active]
    if not active:
        return {}
    todays = {clinic.pk: now.astimezone(ZoneInfo(clinic.time_zone)).date() for clinic in active}
    first_day = min(todays.values())
    span_days = (max(todays.values()) - first_day).days + days
    roster = _roster(service, active, first_day, span_days)
    spec = service_spec(service)
    rules = Rules.of(spec)
    indexes = {
        site.clinic.clinic_id: ClinicIndex(site, spec)
        for site in roster.sites(Live([], {}), [c for c, s in roster.schedules.items() if s])
    }
    bounds = [local_day_bounds(c.time_zone, todays[c.pk], days) for c in active]
    start = max(to_us(min(b.start for b in bounds)), to_us(now) + rules.min_notice)
    end = min(to_us(max(b.end for b in bounds)), to_us(now) + rules.max_advance + 1)
    opens = _opening_times(indexes, first_day, span_days, start, end)
    first_step = step = _micro(FIRST_SPAN)
    found: dict[int, LocalSlot] = {}
    while opens:
        begin = min(opens.values())
        if begin > start:
            start, step = begin, first_step
        stop = min(end, start + step)
        batch = sorted(cid for cid, at in opens.items() if at < stop)
        reach_end = stop + rules.duration + rules.after
        sites = roster.read_sites(
            Interval(from_us(start - rules.before), from_us(reach_end)), batch
        )
        for slot in slots_starting_between(
            service=spec,
            sites=sites,
            first_day=first_day,
            days=span_days,
            now=now,
            start=from_us(start),
            end=from_us(stop),
        ):
            if slot.clinic_id not in found:
                found[slot.clinic_id] = _local(slot, roster.zones[slot.clinic_id])
        waiting = {cid: indexes[cid] for cid in batch if cid not in found}
        for cid in batch:
            opens.pop(cid)
        opens |= _opening_times(waiting, first_day, span_days, stop, end)
        start, step = stop, step * 2
    return found


# Answers kept while the directory snapshot they were worked out with stands (at
# most directory_cache.TTL seconds), for pages asked for many times a second. Any
# change to a clinic, its hours, rooms, staff or services replaces the snapshot and
# so drops them; a booking made meanwhile may show as free for those seconds, and
# the day's time list, always read fresh, no longer offers it.
_kept_lock = threading.Lock()
_kept: dict[Hashable, Any] = {}
_kept_for: list[float] = [0.0]
# One lock per key, so when an answer lapses one thread works it out again and the
# others asking meanwhile wait for it, instead of every thread computing the same.
_computing: dict[Hashable, threading.Lock] = {}


def kept_while_directory_stands[T](
    key: Hashable, compute: Callable[[], T], *, still_good: Callable[[T], bool]
) -> T:
    """``compute()``, remembered under ``key`` for as long as the directory snapshot
    lasts and ``still_good`` holds for it. Inside a transaction (which may hold its
    own uncommitted writes) nothing is kept, as the availability selectors do."""
    directory = current_directory()
    if directory is None:
        return compute()
    with _kept_lock:
        if _kept_for[0] != directory.loaded_at:
            _kept.clear()
            _computing.clear()
            _kept_for[0] = directory.loaded_at
        found = _kept.get(key)
        computing = _computing.setdefault(key, threading.Lock())
    if found is not None and still_good(found):
        return cast(T, found)
    with computing:
        with _kept_lock:
            found = _kept.get(key) if _kept_for[0] == directory.loaded_at else None
        if found is not None and still_good(found):
            return cast(T, found)  # worked out by the thread this one waited for
        value = compute()
        with _kept_lock:
            if _kept_for[0] == directory.loaded_at:
                _kept[key] = value
    return value


def _micro(value: timedelta) -> int:
    return int(value / timedelta(microseconds=1))


def _opening_times(
    indexes: dict[int, ClinicIndex], first_day: date, days: int, at: int, end: int
) -> dict[int, int]:
    """For each clinic, the first instant from ``at`` (microseconds) at which it could
    start the service whatever is booked; clinics that cannot before ``end`` are left out."""
    found = {cid: earliest_possible(index, first_day, days, at) for cid, index in indexes.items()}
    return {cid: opens for cid, opens in found.items() if opens is not None and opens < end}


@dataclass(frozen=True, slots=True)
class FullSession:
    """A class session with no places left: shown, but not offered."""

    start: datetime
    practitioner_id: int


@dataclass(slots=True)
class Week:
    """Seven local days from ``first_day``: which have space, and the chosen day's times."""

    first_day: date
    day: date
    days_with_space: set[date] = field(default_factory=set)
    slots: list[LocalSlot] = field(default_factory=list)
    full_sessions: list[FullSession] = field(default_factory=list)
    offered: bool = False

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(WEEK)]


def week_availability(
    *, service: Service, clinic: Clinic, first_day: date, day: date | None, now: datetime
) -> Week:
    """Which of the seven local days from ``first_day`` have a free slot for ``service``
    at ``clinic``, every slot on ``day`` (in the clinic's zone) and, for a class, the
    sessions on ``day`` that are full. One read of the week's bookings.

    Without ``day``, the first day with space (else ``first_day``) is chosen.
    ``offered`` is False when nobody at the clinic gives the service at all.
    """
    week = Week(first_day=first_day, day=day or first_day)
    roster = _roster(service, [clinic], first_day, WEEK)
    if not clinic.is_active or not roster.schedules.get(clinic.pk):
        return week
    week.offered = True
    spec = service_spec(service)
    (site,) = roster.read_sites(local_day_bounds(clinic.time_zone, first_day, WEEK), [clinic.pk])
    if day is None:
        week.days_with_space = _days_with_space(spec, site, week.days, now)
        week.day = min(week.days_with_space, default=first_day)
    found = find_slots(service=spec, site=site, first_day=week.day, days=1, now=now)
    if day is not None:
        others = [other for other in week.days if other != week.day]
        week.days_with_space = _days_with_space(spec, site, others, now)
        if found:
            week.days_with_space.add(week.day)
    week.slots = [_local(slot, clinic.time_zone) for slot in found]
    if service.is_class:
        week.full_sessions = _full_sessions(
            service=service, clinic=clinic, site=site, day=week.day, offered=found, now=now
        )
    return week


def _days_with_space(
    spec: ServiceSpec, site: ClinicAvailabilityInput, days: list[date], now: datetime
) -> set[date]:
    """The days on which someone has a free slot. One practitioner's day is worked out
    at a time, and the first with a slot settles the day, so a busy week costs little."""
    return {
        day
        for day in days
        if any(
            find_slots(
                service=spec,
                site=site,
                first_day=day,
                days=1,
                now=now,
                practitioner_id=schedule.practitioner_id,
            )
            for schedule in site.practitioners
        )
    }


def _full_sessions(
    *,
    service: Service,
    clinic: Clinic,
    site: ClinicAvailabilityInput,
    day: date,
    offered: list[Slot],
    now: datetime,
) -> list[FullSession]:
    """Sessions of the class on local ``day``, still to start, with every place taken."""
    zone = ZoneInfo(clinic.time_zone)
    places = {room.room_id: min(service.capacity, room.capacity) for room in site.rooms}
    attendees: Counter[tuple[int, datetime, int]] = Counter(
        (booking.practitioner_id, booking.start, booking.room_id)
        for booking in site.bookings
        if booking.service_id == service.pk
        and booking.start > now
        and booking.start.astimezone(zone).date() == day
    )
    still_open = {(slot.practitioner_id, slot.start) for slot in offered}
    return sorted(
        (
            FullSession(start.astimezone(zone), practitioner_id)
            for (practitioner_id, start, room_id), count in attendees.items()
            if count >= places.get(room_id, service.capacity)
            and (practitioner_id, start) not in still_open
        ),
        key=lambda session: (session.start, session.practitioner_id),
    )
