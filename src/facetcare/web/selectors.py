"""Reads for the staff pages that no single domain app owns."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from facetcare.booking.models import Appointment
from facetcare.booking.selectors import local_day_bounds
from facetcare.clinics.models import Clinic, Service
from facetcare.clinics.selectors import list_clinics
from facetcare.errors import Forbidden
from facetcare.web.roles import is_staff_member


@dataclass(frozen=True)
class DiaryRow:
    appointment: Appointment
    local_start: datetime
    local_end: datetime


def diary_row(appointment: Appointment, zone: ZoneInfo) -> DiaryRow:
    return DiaryRow(
        appointment, appointment.start.astimezone(zone), appointment.end.astimezone(zone)
    )


@dataclass(frozen=True)
class ClinicDay:
    clinic: Clinic
    day: date
    rows: list[DiaryRow]


def list_todays_diaries(
    *, user: AbstractBaseUser | AnonymousUser, now: datetime
) -> list[ClinicDay]:
    """Each active clinic's appointments on its own local "today" (not cancelled).

    ``now`` must be aware; each clinic's day is taken in the clinic's time zone.
    Two queries whatever the number of clinics.
    """
    if not is_staff_member(user):
        raise Forbidden("Only clinic staff see the day's diary")
    clinics = list(list_clinics())
    if not clinics:
        return []
    zones = {clinic.pk: ZoneInfo(clinic.time_zone) for clinic in clinics}
    # Each clinic's own local today: 23 or 25 hours on a clock-change day.
    days = {clinic.pk: now.astimezone(zones[clinic.pk]).date() for clinic in clinics}
    window = Q()
    for clinic in clinics:
        bounds = local_day_bounds(clinic.time_zone, days[clinic.pk], 1)
        window |= Q(clinic_id=clinic.pk, start__gte=bounds.start, start__lt=bounds.end)
    appointments = (
        Appointment.objects.filter(window)
        .filter(Appointment.LIVE)
        .select_related("patient", "service", "practitioner", "room")
        .order_by("start", "pk")
    )
    rows: dict[int, list[DiaryRow]] = {clinic.pk: [] for clinic in clinics}
    for appointment in appointments:
        rows[appointment.clinic_id].append(diary_row(appointment, zones[appointment.clinic_id]))
    return [ClinicDay(clinic, days[clinic.pk], rows[clinic.pk]) for clinic in clinics]


def list_unrecorded_procedure_appointments(*, patient_id: int) -> QuerySet[Appointment]:
    """A patient's live procedure appointments that have no procedure record yet."""
    return (
        Appointment.objects.filter(
            patient_id=patient_id,
            service__category=Service.Category.PROCEDURE,
            procedure_record__isnull=True,
        )
        .filter(Appointment.LIVE)
        .select_related("service", "clinic")
        .order_by("start")
    )


def list_patient_appointments(*, patient_id: int) -> list[DiaryRow]:
    """A patient's appointments, newest first, each with its clinic-local times.

    Callers have already checked that the user may see this patient.
    """
    appointments = (
        Appointment.objects.filter(patient_id=patient_id)
        .select_related("service", "clinic", "practitioner")
        .order_by("-start", "-pk")
    )
    return [
        diary_row(appointment, ZoneInfo(appointment.clinic.time_zone))
        for appointment in appointments
    ]
