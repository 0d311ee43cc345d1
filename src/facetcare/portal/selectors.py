"""Reads behind the patient portal.

Every read of a patient's record here takes the signed-in ``PortalAccount`` and
reads that account's own patient: no page passes a patient id in, so changing a
number in an address can only ever miss (404), never reach someone else. Each
clinical read is written to the access log as a staff read is, with the
patient's own portal user as the reader.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse

from facetcare import locales
from facetcare.audit.services import log_access
from facetcare.booking.manage import is_open_to_change, too_late_to_change
from facetcare.booking.models import Appointment
from facetcare.booking.tokens import manage_link_token
from facetcare.clinics.models import Clinic
from facetcare.patients.models import Patient
from facetcare.portal.models import PortalAccount


def find_patients_for_sign_in(*, email: str, date_of_birth: date) -> QuerySet[Patient]:
    """Patients with this email address (ignoring case) and date of birth."""
    return Patient.objects.filter(email__iexact=email.strip(), date_of_birth=date_of_birth)


def find_accounts_by_email(*, email: str) -> QuerySet[PortalAccount]:
    """Portal accounts of patients whose record holds this email address (ignoring case)."""
    return PortalAccount.objects.select_related("user", "patient").filter(
        patient__email__iexact=email.strip()
    )


def get_portal_account(*, user: AbstractBaseUser | AnonymousUser) -> PortalAccount | None:
    """The signed-in user's portal account with its patient; None for staff or visitors."""
    if not user.is_authenticated:
        return None
    return PortalAccount.objects.select_related("patient").filter(user_id=user.pk).first()


def get_home_clinic(*, patient: Patient) -> Clinic | None:
    """The clinic of the patient's latest appointment (a live one first), if any."""
    latest = Appointment.objects.filter(patient=patient).select_related("clinic").order_by("-start")
    live = latest.filter(Appointment.LIVE).first()
    chosen = live or latest.first()
    return chosen.clinic if chosen else None


def page_locale(clinic: Clinic | None) -> str:
    """The locale the patient's pages speak: their clinic's, else British English."""
    return clinic.locale if clinic is not None else locales.EN_GB


def local_today(clinic: Clinic | None, *, now: datetime) -> date:
    """Today's date where the patient's clinic is (UTC for a patient with no clinic yet)."""
    if clinic is None:
        return now.astimezone(UTC).date()
    return now.astimezone(ZoneInfo(clinic.time_zone)).date()


def log_patient_read(
    account: PortalAccount, object_type: str, object_id: int | None = None
) -> None:
    """Record that the patient read part of their own record through the portal."""
    log_access(
        user=account.user,
        action="read",
        patient_id=account.patient_id,
        object_type=object_type,
        object_id=object_id,
    )


@dataclass(frozen=True, slots=True)
class UpcomingAppointment:
    appointment: Appointment
    manage_url: str
    can_change_online: bool


def list_upcoming_appointments(
    *, account: PortalAccount, now: datetime, limit: int = 5
) -> list[UpcomingAppointment]:
    """The patient's booked appointments still to come, soonest first, each with its
    manage link; logged as a read when there are any."""
    found = list(
        Appointment.objects.filter(
            patient_id=account.patient_id, status=Appointment.Status.BOOKED, end__gt=now
        )
        .select_related("service", "clinic", "practitioner")
        .order_by("start", "pk")[:limit]
    )
    if found:
        log_patient_read(account, "appointment_list")
    return [
        UpcomingAppointment(
            appointment=appointment,
            manage_url=reverse("booking:manage", kwargs={"token": manage_link_token(appointment)}),
            can_change_online=is_open_to_change(appointment)
            and not too_late_to_change(appointment, now=now),
        )
        for appointment in found
    ]
