"""A realistic diary of demo appointments, written in bulk.

Walking each practitioner's working intervals day by day, the walker books
about two thirds of the time, puts each appointment in a free room with the
equipment its service needs and never lets two occupied spans (the appointment
widened by its buffers) overlap on a practitioner or a room. So the rows pass the
database's exclusion constraints, and they go in with one bulk insert instead
of one booking transaction each.
"""

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Room, Service, WorkingHours
from facetcare.demo.directory import Directory
from facetcare.patients.models import Patient

DEMO_KEY_PREFIX = "demo:"
GRID = timedelta(minutes=15)
FILL = {"physiotherapist": 0.7, "pain_consultant": 0.6, "pilates_instructor": 1.0}
PROCEDURE_MIX = (
    ("lumbar-facet-injection", 35),
    ("lumbar-medial-branch-block", 25),
    ("cervical-facet-injection", 15),
    ("lumbar-radiofrequency-ablation", 15),
    ("thoracic-facet-injection", 10),
)
Span = tuple[datetime, datetime]


def class_session_key(*, service_id: int, practitioner_id: int, start: datetime) -> str:
    return f"class:{service_id}:{practitioner_id}:{start.astimezone(UTC).isoformat()}"


@dataclass
class _Day:
    practitioner: Practitioner
    clinic: Clinic
    start: datetime
    end: datetime


@dataclass
class DiaryWalker:
    directory: Directory
    patients_by_currency: dict[str, list[Patient]]
    now: datetime
    rng: random.Random
    rooms: dict[int, list[Room]] = field(default_factory=dict)
    busy: dict[int, list[Span]] = field(default_factory=dict)
    closed: dict[int, set[date]] = field(default_factory=dict)
    rows: list[Appointment] = field(default_factory=list)

    def __post_init__(self) -> None:
        for clinic in self.directory.clinics.values():
            self.rooms[clinic.pk] = list(clinic.rooms.filter(is_active=True).order_by("pk"))
            self.closed[clinic.pk] = {
                clinic_day
                for closure in clinic.closures.all()
                for clinic_day in _days(closure.first_day, closure.last_day)
            }

    def walk(self, practitioner: Practitioner, *, first_day: date, days: int) -> None:
        pattern = list(practitioner.working_hours.select_related("clinic").order_by("starts"))
        time_off = [(t.start, t.end) for t in practitioner.time_off.all()]
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            for hours in pattern:
                if _applies(hours, day) and day not in self.closed[hours.clinic_id]:
                    zone = ZoneInfo(hours.clinic.time_zone)
                    start = datetime.combine(day, hours.starts, zone).astimezone(UTC)
                    end = datetime.combine(day, hours.ends, zone).astimezone(UTC)
                    self._walk_interval(_Day(practitioner, hours.clinic, start, end), time_off)

    def _walk_interval(self, day: _Day, time_off: list[Span]) -> None:
        cursor = day.start
        fill = FILL.get(day.practitioner.profession, 0.6)
        while True:
            service = self._pick_service(day, cursor)
            occupied = timedelta(
                minutes=service.buffer_before_minutes
                + service.duration_minutes
                + service.buffer_after_minutes
            )
            step = GRID * math.ceil(occupied / GRID)
            if cursor + occupied > day.end:
                return
            span = (cursor, cursor + occupied)
            if self.rng.random() >= fill or _overlaps_any(span, time_off):
                cursor += 2 * GRID
                continue
            room = self._free_room(day.clinic, service, span)
            if room is not None:
                self.busy.setdefault(room.pk, []).append(span)
                self._book(day, service, room, span)
            cursor += step

    def _pick_service(self, day: _Day, cursor: datetime) -> Service:
        services = self.directory.services
        profession = day.practitioner.profession
        if profession == "pilates_instructor":
            return services["pilates-class"]
        if profession == "pain_consultant":
            local_hour = cursor.astimezone(ZoneInfo(day.clinic.time_zone)).hour
            if local_hour < 13:
                return services["consultant-consultation"]
            slugs = [slug for slug, _ in PROCEDURE_MIX]
            weights = [weight for _, weight in PROCEDURE_MIX]
            return services[self.rng.choices(slugs, weights)[0]]
        first_visit = self.rng.random() < 0.3
        return services["facet-joint-assessment" if first_visit else "physiotherapy-follow-up"]

    def _free_room(self, clinic: Clinic, service: Service, span: Span) -> Room | None:
        needed = set(service.required_equipment)
        for room in self.rooms[clinic.pk]:
            if needed <= set(room.equipment) and not _overlaps_any(
                span, self.busy.get(room.pk, [])
            ):
                return room
        return None

    def _book(self, day: _Day, service: Service, room: Room, span: Span) -> None:
        start = span[0] + timedelta(minutes=service.buffer_before_minutes)
        end = start + timedelta(minutes=service.duration_minutes)
        patients = self.patients_by_currency[day.clinic.currency]
        if service.capacity > 1:
            attendees = self.rng.sample(patients, self.rng.randint(3, service.capacity))
            key = class_session_key(
                service_id=service.pk, practitioner_id=day.practitioner.pk, start=start
            )
        else:
            attendees = [self.rng.choice(patients)]
            key = ""
        for patient in attendees:
            number = len(self.rows)
            appointment = Appointment(
                patient=patient,
                service=service,
                clinic=day.clinic,
                practitioner=day.practitioner,
                room=room,
                start=start,
                end=end,
                occupied_start=span[0],
                occupied_end=span[1],
                session_key=key or f"appt:{uuid.uuid4().hex}",
                currency=day.clinic.currency,
                idempotency_key=f"{DEMO_KEY_PREFIX}{number}",
                price=service.price,
            )
            self._set_channel_and_status(appointment, service)
            self.rows.append(appointment)

    def _set_channel_and_status(self, appointment: Appointment, service: Service) -> None:
        if service.category == Service.Category.PROCEDURE:
            appointment.channel = self.rng.choice(["staff", "referral"])
        else:
            appointment.channel = self.rng.choices(["online", "phone", "referral"], [50, 30, 20])[0]
        if appointment.channel == "online":
            percent = service.online_discount_percent
            appointment.discount = (service.price * percent / 100).quantize(Decimal("0.01"))
        roll = self.rng.random()
        if appointment.start < self.now:
            appointment.status = "completed" if roll < 0.88 else "no_show"
            if roll >= 0.95:
                appointment.status = "cancelled"
        elif roll < 0.04:
            appointment.status = "cancelled"
        if appointment.status == "cancelled":
            appointment.cancelled_at = appointment.start - timedelta(days=2)
            appointment.cancellation_reason = "Patient unable to attend"


def load_diary(
    *,
    directory: Directory,
    patients_by_currency: dict[str, list[Patient]],
    now: datetime,
    past_days: int = 7,
    future_days: int = 21,
    seed: int = 11,
) -> int:
    """Bulk-insert the demo diary unless one is already there; return how many rows."""
    if Appointment.objects.filter(idempotency_key__startswith=DEMO_KEY_PREFIX).exists():
        return 0
    walker = DiaryWalker(
        directory=directory,
        patients_by_currency=patients_by_currency,
        now=now,
        rng=random.Random(seed),  # noqa: S311 (repeatable fiction, not secrets)
    )
    first_day = now.date() - timedelta(days=past_days)
    for practitioner in directory.practitioners.values():
        walker.walk(practitioner, first_day=first_day, days=past_days + future_days)
    Appointment.objects.bulk_create(walker.rows, batch_size=1000)
    return len(walker.rows)


def _applies(hours: WorkingHours, day: date) -> bool:
    return (
        hours.weekday == day.weekday()
        and hours.valid_from <= day
        and (hours.valid_until is None or day <= hours.valid_until)
    )


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _overlaps_any(span: Span, others: list[Span]) -> bool:
    return any(span[0] < other[1] and other[0] < span[1] for other in others)
