"""Reads for the staff pages that no single domain app owns."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from facetcare.booking.models import Appointment
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


def _local_day_bounds(clinic: Clinic, now: datetime) -> tuple[date, datetime, datetime]:
    zone = ZoneInfo(clinic.time_zone)
    day = now.astimezone(zone).date()
    # Midnight to midnight in the clinic's zone: 23 or 25 hours on a clock-change day.
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return day, start, end


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
    bounds = {clinic.pk: _local_day_bounds(clinic, now) for clinic in clinics}
    window = Q()
    for clinic_id, (_, start, end) in bounds.items():
        window |= Q(clinic_id=clinic_id, start__gte=start, start__lt=end)
    appointments = (
        Appointment.objects.filter(window)
        .filter(Appointment.LIVE)
        .select_related("patient", "service", "practitioner", "room")
        .order_by("start", "pk")
    )
    zones = {clinic.pk: ZoneInfo(clinic.time_zone) for clinic in clinics}
    rows: dict[int, list[DiaryRow]] = {clinic.pk: [] for clinic in clinics}
    for appointment in appointments:
        zone = zones[appointment.clinic_id]
        local_start, local_end = (
            appointment.start.astimezone(zone),
            appointment.end.astimezone(zone),
        )
        rows[appointment.clinic_id].append(DiaryRow(appointment, local_start, local_end))
    return [ClinicDay(clinic, bounds[clinic.pk][0], rows[clinic.pk]) for clinic in clinics]


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
    rows = []
    for appointment in appointments:
        zone = ZoneInfo(appointment.clinic.time_zone)
        local_start, local_end = (
            appointment.start.astimezone(zone),
            appointment.end.astimezone(zone),
        )
        rows.append(DiaryRow(appointment, local_start, local_end))
    return rows
