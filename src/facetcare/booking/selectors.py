"""Reads for booking: availability (ORM rows into the pure engine's types), appointments, diaries.

Availability takes the directory (clinic calendars, rooms, who works where) from
the per-process cache in ``directory_cache``, or fresh inside a transaction, and
reads only bookings and time off from the database, one plain query per span the
engine's search examines: one for a day, a few for a network-wide fortnight.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facetcare.booking.directory_cache import current_directory
from facetcare.booking.models import Appointment
from facetcare.booking.roster import Live, Roster, fresh_roster
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.core.scheduling import search
from facetcare.core.scheduling.types import (
    Interval,
    ServiceSpec,
    Slot,
)
from facetcare.errors import NotFound

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
        slot_step=timedelta(minutes=service.slot_step_minutes),
    )


def local_day_bounds(time_zone: str, first_day: date, days: int) -> Interval:
    """UTC instants of local midnight on ``first_day`` and ``days`` local days later."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(first_day, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(first_day + timedelta(days=days), time.min, tzinfo=zone)
    return Interval(start, end.astimezone(UTC))


def _window(roster: Roster, first_day: date, days: int) -> Interval:
    """From the earliest local start of ``first_day`` to the latest local end of the last day."""
    bounds = [local_day_bounds(zone, first_day, days) for zone in set(roster.zones.values())]
    return Interval(min(b.start for b in bounds), max(b.end for b in bounds))


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
    roster = _roster(service, clinic, practitioner, first_day, days)
    if not roster.clinics:
        return [], {}
    spec = service_spec(service)
    limit = limit or DEFAULT_LIMIT
    window = _window(roster, first_day, days)
    if near is not None:
        found = search.nearest_slots_by_batch(
            service=spec,
            clinics=list(roster.calendars.values()),
            load=lambda batch: roster.read_sites(window, [c.clinic_id for c in batch]),
            near=near,
            first_day=first_day,
            days=days,
            now=now,
            limit=limit,
        )
        return found, roster.zones
    found = search.earliest_slots_by_span(
        service=spec,
        load=roster.read_sites,
        window=window,
        first_day=first_day,
        days=days,
        now=now,
        limit=limit,
        # One clinic's (or one day's) window holds few bookings: read it in one go.
        # Across the network a window is read piece by piece, since the answer
        # usually lies in its first hours.
        first_span=window.duration if days == 1 or clinic is not None else search.FIRST_SPAN,
        directory=roster.sites(Live([], {}), list(roster.calendars)),
    )
    return found, roster.zones


def _roster(
    service: Service,
    clinic: Clinic | None,
    practitioner: Practitioner | None,
    first_day: date,
    days: int,
) -> Roster:
    clinic_ids = [clinic.pk] if clinic is not None else None
    practitioner_ids = [practitioner.pk] if practitioner is not None else None
    if clinic is not None and not clinic.is_active:
        return Roster([], {}, timedelta(0))
    directory = current_directory()
    if directory is not None:
        return directory.roster(
            service=service,
            clinic_ids=clinic_ids,
            practitioner_ids=practitioner_ids,
            first_day=first_day,
            days=days,
        )
    return fresh_roster(
        service=service,
        clinic_ids=clinic_ids,
        practitioner_ids=practitioner_ids,
        first_day=first_day,
        days=days,
        given_clinics=[clinic] if clinic is not None else (),
    )


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
