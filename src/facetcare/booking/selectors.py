"""Reads for booking: availability (ORM rows into the pure engine's types), appointments, diaries.

Availability reads only what the asked-for window needs, in a fixed handful of
queries whatever the number of clinics or practitioners: working hours valid in
the window (which also picks the eligible practitioners), the clinics with their
opening hours, closures in range and rooms, time off overlapping the window, and
live bookings overlapping it.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F, Q

from facetcare.booking.models import Appointment
from facetcare.clinics.models import (
    Clinic,
    Closure,
    OpeningHours,
    Practitioner,
    Room,
    Service,
    TimeOff,
    WorkingHours,
)
from facetcare.core.scheduling import slots as engine
from facetcare.core.scheduling.types import (
    BookedSpan,
    ClinicAvailabilityInput,
    ClinicCalendar,
    ClosedDays,
    Interval,
    PractitionerSchedule,
    RoomSpec,
    ServiceSpec,
    Slot,
    WeeklyHours,
)
from facetcare.errors import NotFound

# A live appointment's occupied span lies inside one opening interval, so within
# one local day (25 hours at most, on the day clocks go back). Bounding the
# search below by this lets the (practitioner, occupied_start) and (room,
# occupied_start) indexes answer with a short range scan instead of reading a
# practitioner's whole history.
MAX_OCCUPIED_SPAN = timedelta(hours=26)
DEFAULT_LIMIT = 50


def service_spec(service: Service) -> ServiceSpec:
    """The engine's view of a service."""
    return ServiceSpec(
        service_id=service.pk,
        duration=timedelta(minutes=service.duration_minutes),
        buffer_before=timedelta(minutes=service.buffer_before_minutes),
        buffer_after=timedelta(minutes=service.buffer_after_minutes),
        required_equipment=frozenset(service.required_equipment or ()),
        capacity=service.capacity,
        min_notice=timedelta(minutes=service.min_notice_minutes),
        max_advance=timedelta(days=service.max_advance_days),
    )


def local_day_bounds(time_zone: str, first_day: date, days: int) -> Interval:
    """UTC instants of local midnight on ``first_day`` and ``days`` local days later."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(first_day, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(first_day + timedelta(days=days), time.min, tzinfo=zone)
    return Interval(start, end.astimezone(UTC))


@dataclass(frozen=True, slots=True)
class _WorkingRow:
    practitioner_id: int
    clinic_id: int
    hours: WeeklyHours


def _working_rows(
    *,
    clinic_ids: Sequence[int] | None,
    practitioner_ids: Sequence[int] | None,
    eligible_for: Service | None,
    first_day: date,
    last_day: date,
) -> list[_WorkingRow]:
    rows = WorkingHours.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first_day),
        valid_from__lte=last_day,
        clinic__is_active=True,
    )
    if clinic_ids is not None:
        rows = rows.filter(clinic_id__in=clinic_ids)
    if practitioner_ids is not None:
        rows = rows.filter(practitioner_id__in=practitioner_ids)
    if eligible_for is not None:
        rows = rows.filter(
            practitioner__is_active=True,
            practitioner__profession=eligible_for.required_profession,
            practitioner__services=eligible_for,
            # ...and is listed at the clinic the hours are for.
            practitioner__clinics=F("clinic_id"),
        )
    fields = ("practitioner_id", "clinic_id", "weekday", "starts", "ends")
    return [
        _WorkingRow(pid, cid, WeeklyHours(weekday, starts, ends, valid_from, valid_until))
        for pid, cid, weekday, starts, ends, valid_from, valid_until in rows.order_by().values_list(
            *fields, "valid_from", "valid_until"
        )
    ]


@dataclass(slots=True)
class _ClinicRows:
    """One clinic's calendar and candidate rooms, read as plain values (no model instances)."""

    clinic_id: int
    time_zone: str
    latitude: float
    longitude: float
    opening: list[WeeklyHours] = field(default_factory=list)
    closures: list[ClosedDays] = field(default_factory=list)
    rooms: list[RoomSpec] = field(default_factory=list)


def _clinic_rows(
    clinic_ids: Iterable[int],
    given: Sequence[Clinic],
    service: Service,
    first_day: date,
    last_day: date,
) -> dict[int, _ClinicRows]:
    """Active clinics with their opening hours, closures in range and the active rooms
    that carry the service's equipment: three queries, or four without ``given``."""
    wanted = set(clinic_ids)
    if given and wanted == {c.pk for c in given}:
        rows: Iterable[tuple[int, str, Any, Any]] = [
            (c.pk, c.time_zone, c.latitude, c.longitude) for c in given if c.is_active
        ]
    else:
        rows = (
            Clinic.objects.filter(pk__in=wanted, is_active=True)
            .order_by()
            .values_list("pk", "time_zone", "latitude", "longitude")
        )
    found = {pk: _ClinicRows(pk, zone, float(lat), float(lon)) for pk, zone, lat, lon in rows}
    if not found:
        return found
    opening = OpeningHours.objects.filter(clinic_id__in=found).order_by()
    for clinic_id, weekday, opens, closes in opening.values_list(
        "clinic_id", "weekday", "opens", "closes"
    ):
        found[clinic_id].opening.append(WeeklyHours(weekday, opens, closes))
    closures = Closure.objects.filter(
        clinic_id__in=found, first_day__lte=last_day, last_day__gte=first_day
    ).order_by()
    for clinic_id, first, last in closures.values_list("clinic_id", "first_day", "last_day"):
        found[clinic_id].closures.append(ClosedDays(first, last))
    required = frozenset(service.required_equipment or ())
    rooms = Room.objects.filter(clinic_id__in=found, is_active=True).order_by("pk")
    for clinic_id, room_id, equipment, capacity in rooms.values_list(
        "clinic_id", "pk", "equipment", "capacity"
    ):
        tags = frozenset(equipment or ())
        # A room without the service's equipment can never host it, so its
        # bookings cannot matter either.
        if required <= tags:
            found[clinic_id].rooms.append(RoomSpec(room_id, tags, capacity))
    return found


def _time_off(practitioner_ids: Iterable[int], window: Interval) -> dict[int, list[Interval]]:
    found: dict[int, list[Interval]] = defaultdict(list)
    rows = (
        TimeOff.objects.filter(
            practitioner_id__in=set(practitioner_ids), end__gt=window.start, start__lt=window.end
        )
        .order_by("start")
        .values_list("practitioner_id", "start", "end")
    )
    for practitioner_id, start, end in rows:
        found[practitioner_id].append(Interval(start, end))
    return found


def _bookings(
    practitioner_ids: Iterable[int], room_ids: Iterable[int], window: Interval
) -> list[BookedSpan]:
    rows = (
        Appointment.objects.filter(
            Q(practitioner_id__in=set(practitioner_ids)) | Q(room_id__in=set(room_ids)),
            occupied_start__gte=window.start - MAX_OCCUPIED_SPAN,
            occupied_start__lt=window.end,
            occupied_end__gt=window.start,
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by()
        .values_list(
            "practitioner_id",
            "room_id",
            "occupied_start",
            "occupied_end",
            "session_key",
            "start",
            "service_id",
        )
    )
    return [
        BookedSpan(pid, rid, Interval(o_start, o_end), key, start, service_id)
        for pid, rid, o_start, o_end, key, start, service_id in rows
    ]


def _calendar(clinic: _ClinicRows) -> ClinicCalendar:
    return ClinicCalendar(
        clinic_id=clinic.clinic_id,
        time_zone=clinic.time_zone,
        opening=tuple(clinic.opening),
        closures=tuple(clinic.closures),
        latitude=clinic.latitude,
        longitude=clinic.longitude,
    )


@dataclass(frozen=True, slots=True)
class Sites:
    """Engine inputs per clinic, and each clinic's time zone for presenting slots."""

    inputs: tuple[ClinicAvailabilityInput, ...]
    zones: dict[int, str]


def load_sites(
    *,
    service: Service,
    clinic_ids: Sequence[int] | None,
    practitioner_ids: Sequence[int] | None,
    first_day: date,
    days: int,
    eligible_only: bool = True,
    given_clinics: Sequence[Clinic] = (),
) -> Sites:
    """Everything the engine needs for ``service`` over local days ``first_day`` .. +days-1.

    ``eligible_only`` keeps practitioners who offer the service, hold its
    profession and are listed at the clinic; the booking service checks those
    itself (to say which one failed) and passes False. A practitioner named in
    ``practitioner_ids`` appears in the answer even with no hours in the window.
    ``given_clinics`` are Clinic instances the caller already holds, saving a query.
    Everything is read as plain values, without building model instances.
    """
    last_day = first_day + timedelta(days=days - 1)
    working = _working_rows(
        clinic_ids=clinic_ids,
        practitioner_ids=practitioner_ids,
        eligible_for=service if eligible_only else None,
        first_day=first_day,
        last_day=last_day,
    )
    wanted_clinics = clinic_ids if clinic_ids is not None else {w.clinic_id for w in working}
    clinics = list(
        _clinic_rows(wanted_clinics, given_clinics, service, first_day, last_day).values()
    )
    if not clinics:
        return Sites((), {})
    windows = [local_day_bounds(c.time_zone, first_day, days) for c in clinics]
    window = Interval(min(w.start for w in windows), max(w.end for w in windows))
    per_clinic: dict[int, dict[int, list[WeeklyHours]]] = defaultdict(lambda: defaultdict(list))
    for row in working:
        per_clinic[row.clinic_id][row.practitioner_id].append(row.hours)
    if practitioner_ids is not None and not eligible_only:
        for clinic in clinics:
            for pid in practitioner_ids:
                per_clinic[clinic.clinic_id].setdefault(pid, [])
    return _assemble(clinics, per_clinic, window)


def _assemble(
    clinics: list[_ClinicRows],
    per_clinic: dict[int, dict[int, list[WeeklyHours]]],
    window: Interval,
) -> Sites:
    all_practitioners = {pid for by_p in per_clinic.values() for pid in by_p}
    time_off = _time_off(all_practitioners, window)
    room_ids = [room.room_id for clinic in clinics for room in clinic.rooms]
    bookings = _bookings(all_practitioners, room_ids, window)
    inputs = []
    for clinic in clinics:
        here = per_clinic[clinic.clinic_id]
        rooms_here = {room.room_id for room in clinic.rooms}
        schedules = tuple(
            PractitionerSchedule(pid, tuple(hours), tuple(time_off.get(pid, ())))
            for pid, hours in sorted(here.items())
        )
        inputs.append(
            ClinicAvailabilityInput(
                clinic=_calendar(clinic),
                practitioners=schedules,
                rooms=tuple(clinic.rooms),
                bookings=tuple(
                    b for b in bookings if b.practitioner_id in here or b.room_id in rooms_here
                ),
            )
        )
    return Sites(tuple(inputs), {c.clinic_id: c.time_zone for c in clinics})


def get_availability(
    *,
    service: Service,
    clinic: Clinic | None = None,
    practitioner: Practitioner | None = None,
    first_day: date | None = None,
    days: int,
    near: tuple[float, float] | None = None,
    limit: int | None = None,
    now: datetime,
) -> list[Slot]:
    """Bookable slots (UTC instants) for ``service``; see ``get_local_availability``."""
    return _availability(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        first_day=first_day,
        days=days,
        near=near,
        limit=limit,
        now=now,
    )[0]


@dataclass(frozen=True, slots=True)
class LocalSlot:
    """A slot as a person sees it: start and end in the clinic's own time zone."""

    start: datetime
    end: datetime
    clinic_id: int
    practitioner_id: int
    room_id: int
    places_left: int


def get_local_availability(
    *,
    service: Service,
    clinic: Clinic | None = None,
    practitioner: Practitioner | None = None,
    first_day: date | None = None,
    days: int,
    near: tuple[float, float] | None = None,
    limit: int | None = None,
    now: datetime,
) -> list[LocalSlot]:
    """Bookable slots for ``service`` over local days ``first_day`` .. +days-1.

    Narrowed to one clinic and/or one practitioner when given. Without ``near``
    the earliest come first; with ``near=(lat, lon)`` the nearest clinic's come
    first. ``first_day`` defaults to the earliest local today among the clinics
    considered. At most ``limit`` slots (default 50). Times are in each clinic's
    zone.
    """
    slots, zones = _availability(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        first_day=first_day,
        days=days,
        near=near,
        limit=limit,
        now=now,
    )
    return [
        LocalSlot(
            start=slot.start.astimezone(ZoneInfo(zones[slot.clinic_id])),
            end=slot.end.astimezone(ZoneInfo(zones[slot.clinic_id])),
            clinic_id=slot.clinic_id,
            practitioner_id=slot.practitioner_id,
            room_id=slot.room_id,
            places_left=slot.places_left,
        )
        for slot in slots
    ]


def _availability(
    *,
    service: Service,
    clinic: Clinic | None,
    practitioner: Practitioner | None,
    first_day: date | None,
    days: int,
    near: tuple[float, float] | None,
    limit: int | None,
    now: datetime,
) -> tuple[list[Slot], dict[int, str]]:
    if first_day is None:
        # Local today differs between zones; start from the earliest so no
        # clinic loses the rest of its today. The engine drops past starts.
        first_day = (now - timedelta(hours=14)).astimezone(UTC).date()
    sites = load_sites(
        service=service,
        clinic_ids=[clinic.pk] if clinic is not None else None,
        practitioner_ids=[practitioner.pk] if practitioner is not None else None,
        first_day=first_day,
        days=days,
        given_clinics=[clinic] if clinic is not None else (),
    )
    if not sites.inputs:
        return [], {}
    spec = service_spec(service)
    limit = limit or DEFAULT_LIMIT
    if len(sites.inputs) == 1 and near is None:
        found = engine.find_slots(
            service=spec, site=sites.inputs[0], first_day=first_day, days=days, now=now
        )
        return found[:limit], sites.zones
    found = engine.first_slots(
        service=spec,
        sites=sites.inputs,
        first_day=first_day,
        days=days,
        now=now,
        limit=limit,
        near=near,
    )
    return found, sites.zones


def get_appointment(*, appointment_id: int) -> Appointment:
    """One appointment with its service, clinic, practitioner, room and patient.

    Raises NotFound if there is none.
    """
    appointment = (
        Appointment.objects.select_related("service", "clinic", "practitioner", "room", "patient")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise NotFound("No such booking")
    return appointment


def list_day_diary(
    *, clinic: Clinic, day: date, include_cancelled: bool = False
) -> list[Appointment]:
    """A clinic's appointments starting on local ``day``, earliest first, in one query."""
    bounds = local_day_bounds(clinic.time_zone, day, 1)
    appointments = Appointment.objects.select_related(
        "service", "practitioner", "room", "patient"
    ).filter(clinic=clinic, start__gte=bounds.start, start__lt=bounds.end)
    if not include_cancelled:
        appointments = appointments.exclude(status=Appointment.Status.CANCELLED)
    return list(appointments.order_by("start", "practitioner__last_name", "pk"))
