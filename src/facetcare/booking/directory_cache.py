"""The clinic directory, cached per process for the read-only availability path.

Which clinics are open when, which rooms they have and who works where change a
few times a week, yet every availability read needs them: read fresh they cost
most of a one-practitioner query. So the availability selector reads them from a
snapshot of the whole directory, held in this process, and only bookings and
time off from the database.

How the snapshot stays correct:

- Any save, delete or many-to-many change of a directory model in this process
  (the admin, services, fixtures) drops it at once, and again when the
  transaction commits, so a reader that refilled it meanwhile with the
  uncommitted past cannot keep that.
- Changes this process cannot see (another worker, a bulk update, a script)
  are picked up when the snapshot turns ``TTL`` old: availability may be that
  many seconds stale. That is safe because a booking never uses this cache: it
  re-reads the directory and the diary inside its own locked transaction.
- Only a read in autocommit mode fills the cache, as it sees committed data
  only. Inside a transaction (a test, or a caller's atomic block) the selector
  reads the directory fresh, since the transaction may hold writes of its own
  that a rollback would take back.
"""

import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max
from django.db.models.signals import m2m_changed, post_delete, post_save

from facetcare.booking.roster import ClinicRows, Roster
from facetcare.clinics.models import (
    Clinic,
    Closure,
    OpeningHours,
    Practitioner,
    Room,
    Service,
    WorkingHours,
)
from facetcare.core.scheduling.types import ClosedDays, RoomSpec, WeeklyHours

TTL = 5.0
# However short every service is, an appointment entered by hand may be longer:
# bookings starting up to this long before a span are always looked at.
MIN_LONGEST_SPAN = timedelta(hours=4)
_ROSTERS_KEPT = 64
DIRECTORY_MODELS = (Clinic, OpeningHours, Closure, Room, Practitioner, WorkingHours, Service)


@dataclass(frozen=True, slots=True)
class _Practitioner:
    profession: str
    services: frozenset[int]
    clinics: frozenset[int]


@dataclass(slots=True)
class Directory:
    """Every active clinic with its calendar and active rooms, and who may work where."""

    clinics: dict[int, tuple[str, float, float]]
    opening: dict[int, list[WeeklyHours]]
    closures: dict[int, list[ClosedDays]]
    rooms: dict[int, list[RoomSpec]]
    practitioners: dict[int, _Practitioner]
    working: dict[int, dict[int, list[WeeklyHours]]]
    longest: timedelta
    loaded_at: float
    rosters: dict[tuple[Any, ...], Roster] = field(default_factory=dict)

    def roster(
        self,
        *,
        service: Service,
        clinic_ids: Sequence[int] | None,
        practitioner_ids: Sequence[int] | None,
        first_day: date,
        days: int,
    ) -> Roster:
        """What ``roster.fresh_roster`` would read, from memory."""
        required = frozenset(service.required_equipment or ())
        key = (
            service.pk,
            service.required_profession,
            required,
            None if clinic_ids is None else tuple(clinic_ids),
            None if practitioner_ids is None else tuple(practitioner_ids),
            first_day,
            days,
        )
        found = self.rosters.get(key)
        if found is None:
            if len(self.rosters) >= _ROSTERS_KEPT:
                self.rosters.clear()
            found = self.rosters[key] = self._roster(
                service,
                required,
                clinic_ids=clinic_ids,
                practitioner_ids=practitioner_ids,
                first_day=first_day,
                days=days,
            )
        return found

    def _roster(
        self,
        service: Service,
        required: frozenset[str],
        *,
        clinic_ids: Sequence[int] | None,
        practitioner_ids: Sequence[int] | None,
        first_day: date,
        days: int,
    ) -> Roster:
        last_day = first_day + timedelta(days=days - 1)
        wanted = set(self.clinics if clinic_ids is None else clinic_ids) & self.clinics.keys()
        only = None if practitioner_ids is None else set(practitioner_ids)
        working: dict[int, dict[int, list[WeeklyHours]]] = defaultdict(dict)
        for cid in wanted:
            for pid, rows in self.working.get(cid, {}).items():
                if (only is None or pid in only) and self._eligible(pid, cid, service):
                    valid = [row for row in rows if _valid_between(row, first_day, last_day)]
                    if valid:
                        working[cid][pid] = valid
        if clinic_ids is None:
            wanted = set(working)
        clinics = [self._clinic_rows(cid, required, first_day, last_day) for cid in sorted(wanted)]
        return Roster(clinics, working, self.longest)

    def _eligible(self, pid: int, cid: int, service: Service) -> bool:
        who = self.practitioners.get(pid)
        return (
            who is not None
            and who.profession == service.required_profession
            and service.pk in who.services
            and cid in who.clinics
        )

    def _clinic_rows(
        self, cid: int, required: frozenset[str], first_day: date, last_day: date
    ) -> ClinicRows:
        zone, latitude, longitude = self.clinics[cid]
        return ClinicRows(
            cid,
            zone,
            latitude,
            longitude,
            opening=list(self.opening.get(cid, ())),
            closures=[
                c
                for c in self.closures.get(cid, ())
                if c.first_day <= last_day and c.last_day >= first_day
            ],
            rooms=[room for room in self.rooms.get(cid, ()) if room.carries(required)],
        )


def _valid_between(row: WeeklyHours, first_day: date, last_day: date) -> bool:
    return (row.valid_from is None or row.valid_from <= last_day) and (
        row.valid_until is None or row.valid_until >= first_day
    )


_lock = threading.Lock()
_current: Directory | None = None


def current_directory() -> Directory | None:
    """The cached snapshot, refilled when missing or stale; None inside a transaction.

    Inside a transaction the caller should read fresh (see the module docstring).
    """
    global _current  # noqa: PLW0603 - the one per-process snapshot
    if connection.in_atomic_block:
        return None
    found = _current
    if found is not None and time.monotonic() - found.loaded_at < TTL:
        return found
    with _lock:
        found = _current
        if found is None or time.monotonic() - found.loaded_at >= TTL:
            found = _current = load_directory()
    return found


def invalidate(**_: Any) -> None:
    """Drop the snapshot now and once more when the current transaction commits."""
    global _current  # noqa: PLW0603 - the one per-process snapshot
    _current = None
    if connection.in_atomic_block:
        transaction.on_commit(_drop)


def _drop() -> None:
    global _current  # noqa: PLW0603 - the one per-process snapshot
    _current = None


def load_directory() -> Directory:
    """Read the whole directory: eight small queries, plain values only."""
    began = time.monotonic()
    clinics = {
        pk: (zone, float(lat), float(lon))
        for pk, zone, lat, lon in Clinic.objects.filter(is_active=True)
        .order_by()
        .values_list("pk", "time_zone", "latitude", "longitude")
    }
    opening: dict[int, list[WeeklyHours]] = defaultdict(list)
    for cid, weekday, opens, closes in OpeningHours.objects.order_by().values_list(
        "clinic_id", "weekday", "opens", "closes"
    ):
        opening[cid].append(WeeklyHours(weekday, opens, closes))
    closures: dict[int, list[ClosedDays]] = defaultdict(list)
    for cid, first, last in Closure.objects.order_by().values_list(
        "clinic_id", "first_day", "last_day"
    ):
        closures[cid].append(ClosedDays(first, last))
    rooms: dict[int, list[RoomSpec]] = defaultdict(list)
    for cid, pk, equipment, capacity in (
        Room.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("clinic_id", "pk", "equipment", "capacity")
    ):
        rooms[cid].append(RoomSpec(pk, frozenset(equipment or ()), capacity))
    return Directory(
        clinics=clinics,
        opening=dict(opening),
        closures=dict(closures),
        rooms=dict(rooms),
        practitioners=_practitioners(),
        working=_working(),
        longest=_longest_span(),
        loaded_at=began,
    )


def _practitioners() -> dict[int, _Practitioner]:
    services: dict[int, set[int]] = defaultdict(set)
    for pid, sid in Practitioner.services.through.objects.values_list(
        "practitioner_id", "service_id"
    ):
        services[pid].add(sid)
    clinics: dict[int, set[int]] = defaultdict(set)
    for pid, cid in Practitioner.clinics.through.objects.values_list(
        "practitioner_id", "clinic_id"
    ):
        clinics[pid].add(cid)
    return {
        pid: _Practitioner(profession, frozenset(services[pid]), frozenset(clinics[pid]))
        for pid, profession in Practitioner.objects.filter(is_active=True)
        .order_by()
        .values_list("pk", "profession")
    }


def _working() -> dict[int, dict[int, list[WeeklyHours]]]:
    working: dict[int, dict[int, list[WeeklyHours]]] = defaultdict(lambda: defaultdict(list))
    for (
        pid,
        cid,
        weekday,
        starts,
        ends,
        valid_from,
        valid_until,
    ) in WorkingHours.objects.order_by().values_list(
        "practitioner_id", "clinic_id", "weekday", "starts", "ends", "valid_from", "valid_until"
    ):
        working[cid][pid].append(WeeklyHours(weekday, starts, ends, valid_from, valid_until))
    return {cid: dict(by_practitioner) for cid, by_practitioner in working.items()}


def _longest_span() -> timedelta:
    """The longest occupied span a service books today, but never under MIN_LONGEST_SPAN."""
    total = F("duration_minutes") + F("buffer_before_minutes") + F("buffer_after_minutes")
    found = Service.objects.aggregate(longest=Max(total))["longest"]
    return max(MIN_LONGEST_SPAN, timedelta(minutes=found or 0))


for _model in DIRECTORY_MODELS:
    _uid = f"directory-cache-{_model._meta.label}"
    post_save.connect(invalidate, sender=_model, weak=False, dispatch_uid=f"{_uid}-save")
    post_delete.connect(invalidate, sender=_model, weak=False, dispatch_uid=f"{_uid}-delete")
for _through in (Practitioner.services.through, Practitioner.clinics.through):
    _uid = f"directory-cache-{_through._meta.label}"
    m2m_changed.connect(invalidate, sender=_through, weak=False, dispatch_uid=_uid)
