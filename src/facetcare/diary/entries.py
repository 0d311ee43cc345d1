"""What a clinic's diary reads for some local days, as plain values: its practitioners'
working hours, its opening hours and closures, the appointments (``Entry``) and time
off; and one practitioner's day worked out from them (working time, free gaps).

A fixed number of queries whatever the number of bookings; appointments are read as
values, not model instances, which is most of what a busy day costs otherwise.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Q

from facetcare.booking.models import Appointment
from facetcare.booking.selectors import local_day_bounds
from facetcare.clinics.models import (
    Clinic,
    Closure,
    OpeningHours,
    Practitioner,
    TimeOff,
    WorkingHours,
)
from facetcare.core.scheduling.calendar import local_day, to_us
from facetcare.core.scheduling.intervals import Span, intersect, normalise
from facetcare.core.scheduling.types import Interval, WeeklyHours
from facetcare.diary import timeline


@dataclass(frozen=True, slots=True)
class Entry:
    """An appointment as the diary shows it: plain values read in one query, times in
    integer microseconds (UTC) as the timeline works with them."""

    pk: int
    status: str
    start: int
    end: int
    occupied_start: int
    occupied_end: int
    session_key: str
    clinic_id: int
    clinic_name: str
    practitioner_id: int
    patient_name: str
    service_name: str
    is_class: bool
    capacity: int
    room_name: str
    reason: str
    practitioner_name: str

    @property
    def is_live(self) -> bool:
        return self.status != Appointment.Status.CANCELLED

    @property
    def status_label(self) -> str:
        return str(Appointment.Status(self.status).label)


_ENTRY_FIELDS = (
    "pk", "status", "start", "end", "occupied_start", "occupied_end", "session_key",
    "clinic_id", "clinic__name", "practitioner_id", "patient__first_name",
    "patient__last_name", "service__name", "service__capacity", "room__name",
    "cancellation_reason", "practitioner__title", "practitioner__first_name",
    "practitioner__last_name",
)  # fmt: skip


@dataclass
class ClinicDays:
    """What a clinic's diary needs for some local days, as read from the database."""

    clinic: Clinic
    practitioners: dict[int, Practitioner] = field(default_factory=dict)
    working: dict[int, list[WeeklyHours]] = field(default_factory=lambda: defaultdict(list))
    opening: list[WeeklyHours] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    by_practitioner: dict[int, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    time_off: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.first_day <= day <= c.last_day), None)


def read_days(clinic: Clinic, first_day: date, days: int) -> ClinicDays:
    """Four queries, or five when anyone works or is booked at the clinic in the range."""
    bounds = local_day_bounds(clinic.time_zone, first_day, days)
    last_day = first_day + timedelta(days=days - 1)
    read = ClinicDays(clinic)
    hours = (
        WorkingHours.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=first_day),
            clinic=clinic,
            valid_from__lte=last_day,
            practitioner__is_active=True,
            practitioner__clinics=F("clinic_id"),
        )
        .select_related("practitioner")
        .order_by()
    )
    for row in hours:
        read.practitioners[row.practitioner_id] = row.practitioner
        read.working[row.practitioner_id].append(
            WeeklyHours(row.weekday, row.starts, row.ends, row.valid_from, row.valid_until)
        )
    for weekday, opens, closes in OpeningHours.objects.filter(clinic=clinic).values_list(
        "weekday", "opens", "closes"
    ):
        read.opening.append(WeeklyHours(weekday, opens, closes))
    read.closures = list(
        Closure.objects.filter(clinic=clinic, first_day__lte=last_day, last_day__gte=first_day)
    )
    _read_entries(read, bounds)
    if read.practitioners:
        for pid, start, end in TimeOff.objects.filter(
            practitioner_id__in=list(read.practitioners), start__lt=bounds.end, end__gt=bounds.start
        ).values_list("practitioner_id", "start", "end"):
            read.time_off[pid].append((to_us(start), to_us(end)))
    return read


def _read_entries(read: ClinicDays, bounds: Interval) -> None:
    """The clinic's appointments starting in ``bounds`` (cancelled too), and the live ones
    of its working practitioners elsewhere that overlap it: one query, plain values."""
    here = Q(clinic=read.clinic, start__gte=bounds.start, start__lt=bounds.end)
    elsewhere = (
        Q(
            practitioner_id__in=list(read.practitioners),
            occupied_start__lt=bounds.end,
            occupied_end__gt=bounds.start,
        )
        & Appointment.LIVE
    )
    rows = (
        Appointment.objects.filter(here | elsewhere)
        .order_by("start", "pk")
        .values_list(*_ENTRY_FIELDS)
    )
    for row in rows:
        entry = _entry(row)
        read.entries.append(entry)
        read.by_practitioner[entry.practitioner_id].append(entry)
        if entry.clinic_id == read.clinic.pk and entry.practitioner_id not in read.practitioners:
            # Booked here without working hours here (the pattern changed since).
            title, given, family = row[-3:]
            read.practitioners[entry.practitioner_id] = Practitioner(
                pk=entry.practitioner_id, title=title, first_name=given, last_name=family
            )


def _entry(row: tuple[Any, ...]) -> Entry:
    (pk, status, start, end, occupied_start, occupied_end, key, clinic_id, clinic_name,
     pid, first, last, service, capacity, room, reason, title, given, family) = row  # fmt: skip
    return Entry(
        pk=pk,
        status=status,
        start=to_us(start),
        end=to_us(end),
        occupied_start=to_us(occupied_start),
        occupied_end=to_us(occupied_end),
        session_key=key,
        clinic_id=clinic_id,
        clinic_name=clinic_name,
        practitioner_id=pid,
        patient_name=f"{first} {last}",
        service_name=service,
        is_class=capacity > 1,
        capacity=capacity,
        room_name=room,
        reason=reason,
        practitioner_name=" ".join(part for part in (title, given, family) if part),
    )


@dataclass(frozen=True)
class PractitionerDay:
    """One practitioner's day at the clinic as spans, before it is laid out."""

    working: list[Span]
    gaps: list[Span]
    time_off: list[Span]
    here: list[Entry]
    elsewhere: list[Entry]


def practitioner_day(read: ClinicDays, pid: int, day: date, now: datetime) -> PractitionerDay:
    zone = read.clinic.time_zone
    local = local_day(zone, day)
    closed = read.closure_on(day) is not None
    time_off = read.time_off.get(pid, [])
    working = timeline.working_time(
        zone=zone,
        day=day,
        working=read.working.get(pid, ()),
        opening=read.opening,
        closed=closed,
        time_off=time_off,
    )
    mine = [
        e
        for e in read.by_practitioner.get(pid, ())
        if e.is_live and e.occupied_start < local.end and e.occupied_end > local.start
    ]
    busy = [(e.occupied_start, e.occupied_end) for e in mine]
    planned = timeline.spans_on(zone, day, read.working.get(pid, ()))
    return PractitionerDay(
        working=working,
        gaps=timeline.free_gaps(working, busy, not_before=max(to_us(now), local.start)),
        time_off=[] if closed else intersect(planned, normalise(time_off)),
        here=[e for e in mine if e.clinic_id == read.clinic.pk],
        elsewhere=[e for e in mine if e.clinic_id != read.clinic.pk],
    )
