"""Which clinic's clock a patient's outcomes are read by.

A procedure done here: its appointment's clinic. Otherwise the clinic of the
patient's most recent appointment, else the first active clinic. Local dates
(days after a procedure, when a measure is due) are that clinic's.
"""

from zoneinfo import ZoneInfo

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic
from facetcare.pathway.models import ProcedureRecord

FALLBACK_ZONE = "Europe/London"


def clinic_for_patient(patient_id: int) -> Clinic | None:
    latest = (
        Appointment.objects.filter(patient_id=patient_id)
        .select_related("clinic")
        .order_by("-start")
        .first()
    )
    if latest is not None:
        return latest.clinic
    return Clinic.objects.filter(is_active=True).order_by("pk").first()


def zone_for_patient(patient_id: int) -> ZoneInfo:
    clinic = clinic_for_patient(patient_id)
    return ZoneInfo(clinic.time_zone if clinic else FALLBACK_ZONE)


def zone_for_procedure(procedure: ProcedureRecord) -> ZoneInfo:
    if procedure.appointment_id is not None:
        return ZoneInfo(procedure.appointment.clinic.time_zone)  # type: ignore[union-attr]
    return zone_for_patient(procedure.episode.patient_id)
