"""Writes the demo clinic directory: clinics, hours, closures, rooms, services, staff patterns.

Every write is an upsert keyed on a stable natural key (slug, room name,
registration number), and the rows that hang off a demo clinic or practitioner
(hours, closures, patterns, time off) are replaced wholesale, so loading twice
leaves one copy.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from facetcare.clinics.models import (
    Clinic,
    Closure,
    Locale,
    OpeningHours,
    Practitioner,
    Room,
    Service,
    TimeOff,
    WorkingHours,
)
from facetcare.demo.catalogue import CLINICS, SERVICES, ClinicDef, PractitionerDef, ServiceDef
from facetcare.demo.holidays import HOLIDAYS
from facetcare.demo.roster import PRACTITIONERS

# Patterns without a start date begin here, well before any demo booking.
PATTERN_EPOCH = date(2024, 1, 1)


@dataclass(frozen=True)
class Directory:
    clinics: dict[str, Clinic]
    services: dict[str, Service]
    practitioners: dict[str, Practitioner]


def load_directory(*, today: date) -> Directory:
    clinics = {spec.slug: _upsert_clinic(spec) for spec in CLINICS}
    services = {spec.slug: _upsert_service(spec) for spec in SERVICES}
    practitioners = {
        spec.key: _upsert_practitioner(spec, clinics=clinics, services=services, today=today)
        for spec in PRACTITIONERS
    }
    return Directory(clinics=clinics, services=services, practitioners=practitioners)


def demo_clinic_slugs() -> list[str]:
    return [spec.slug for spec in CLINICS]


def demo_service_slugs() -> list[str]:
    return [spec.slug for spec in SERVICES]


def demo_registrations() -> list[str]:
    return [spec.registration for spec in PRACTITIONERS]


def _upsert_clinic(spec: ClinicDef) -> Clinic:
    clinic, _ = Clinic.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "address": spec.address,
            "postcode": spec.postcode,
            "latitude": Decimal(spec.latitude),
            "longitude": Decimal(spec.longitude),
            "phone": spec.phone,
            "email": f"{spec.slug}@clinics.example.com",
            "time_zone": spec.time_zone,
            "currency": spec.currency,
            "locale": Locale.EN_US if spec.time_zone.startswith("America/") else Locale.EN_GB,
            "is_active": True,
        },
    )
    clinic.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(clinic=clinic, weekday=day, opens=opens, closes=closes)
        for days, opens, closes in spec.hours
        for day in days
    )
    clinic.closures.filter(kind=Closure.Kind.BANK_HOLIDAY).delete()
    Closure.objects.bulk_create(
        Closure(
            clinic=clinic,
            kind=Closure.Kind.BANK_HOLIDAY,
            first_day=day,
            last_day=day,
            reason=name,
        )
        for day, name in HOLIDAYS[spec.holidays]
    )
    for name, equipment, capacity in spec.rooms:
        Room.objects.update_or_create(
            clinic=clinic,
            name=name,
            defaults={"equipment": list(equipment), "capacity": capacity, "is_active": True},
        )
    return clinic


def _upsert_service(spec: ServiceDef) -> Service:
    service, _ = Service.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "category": spec.category,
            "description": spec.description,
            "audience": spec.audience,
            "preparation": spec.preparation,
            "duration_minutes": spec.minutes,
            "buffer_before_minutes": spec.buffer_before,
            "buffer_after_minutes": spec.buffer_after,
            "price": spec.price,
            "online_discount_percent": spec.online_discount,
            "required_profession": spec.profession,
            "required_equipment": list(spec.equipment),
            "capacity": spec.capacity,
            "min_notice_minutes": spec.min_notice_minutes,
            "max_advance_days": 90,
            "online_bookable": spec.online_bookable,
            "procedure_type": spec.procedure_type,
            "region": spec.region,
            "is_active": True,
        },
    )
    return service


def _upsert_practitioner(
    spec: PractitionerDef,
    *,
    clinics: dict[str, Clinic],
    services: dict[str, Service],
    today: date,
) -> Practitioner:
    practitioner, _ = Practitioner.objects.update_or_create(
        registration_number=spec.registration,
        defaults={
            "title": spec.title,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "profession": spec.profession,
            "is_active": True,
        },
    )
    practitioner.clinics.set({clinics[shift.clinic] for shift in spec.shifts})
    practitioner.services.set([services[slug] for slug in spec.services])
    practitioner.working_hours.all().delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=practitioner,
            clinic=clinics[shift.clinic],
            weekday=day,
            starts=time.fromisoformat(shift.starts),
            ends=time.fromisoformat(shift.ends),
            valid_from=_offset(today, shift.valid_from_offset_days) or PATTERN_EPOCH,
            valid_until=_offset(today, shift.valid_until_offset_days),
        )
        for shift in spec.shifts
        for day in shift.weekdays
    )
    practitioner.time_off.all().delete()
    zone = ZoneInfo(clinics[spec.shifts[0].clinic].time_zone)
    TimeOff.objects.bulk_create(
        TimeOff(
            practitioner=practitioner,
            start=datetime.combine(today + timedelta(days=first), time(0), zone),
            end=datetime.combine(today + timedelta(days=first + length), time(0), zone),
            reason="Annual leave",
        )
        for first, length in spec.leave
    )
    return practitioner


def _offset(today: date, days: int | None) -> date | None:
    return None if days is None else today + timedelta(days=days)
