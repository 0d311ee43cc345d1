"""Two things for a newcomer to watch on the console once ``make run`` is up.

- A reminder: one demo appointment in the next day is dated as booked a week
  ago, so the worker's reminder sweep emails it (the rest of the diary was
  "booked" at load time, inside its reminder window, and gets none: the console
  is not flooded with reminders for fiction).
- A waitlist offer: a demo patient waits for a physiotherapy assessment at the
  clinic where the next such booking is then cancelled; the worker offers the
  freed time to them by email.

Both are set up once per database; the email appears when the worker runs.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from facetcare.booking.models import Appointment
from facetcare.booking.services import cancel_appointment
from facetcare.demo.directory import Directory
from facetcare.demo.people import PATIENT_EMAIL_DOMAIN
from facetcare.patients.services import PatientDetails
from facetcare.waitlist.matching import PARTS_OF_DAY
from facetcare.waitlist.models import WaitlistEntry
from facetcare.waitlist.services import join_waitlist

WAITLIST_SERVICE = "facet-joint-assessment"
WAITING_PATIENT = PatientDetails(
    first_name="Nadia",
    last_name="Okafor",
    date_of_birth=date(1979, 4, 23),
    email=f"nadia.okafor@{PATIENT_EMAIL_DOMAIN}",
    phone="+442079460987",
)


@dataclass(frozen=True)
class Showcase:
    reminder_for: Appointment | None
    freed: Appointment | None


def set_up_showcase(*, directory: Directory, now: datetime) -> Showcase:
    return Showcase(_reminder_due(now), _waitlist_offer(directory, now))


def _reminder_due(now: datetime) -> Appointment | None:
    upcoming = (
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED,
            start__gt=now + timedelta(hours=1),
            start__lte=now + timedelta(hours=20),
            idempotency_key__startswith="demo:",
        )
        .exclude(reminders__isnull=False)
        .select_related("patient", "clinic", "service")
        .order_by("start")
        .first()
    )
    if upcoming is not None:
        Appointment.objects.filter(pk=upcoming.pk).update(created_at=now - timedelta(days=7))
    return upcoming


def _waitlist_offer(directory: Directory, now: datetime) -> Appointment | None:
    service = directory.services[WAITLIST_SERVICE]
    if WaitlistEntry.objects.filter(email=WAITING_PATIENT.email).exists():
        return None
    booked = (
        Appointment.objects.filter(
            service=service,
            status=Appointment.Status.BOOKED,
            start__gt=now + timedelta(days=1),
            idempotency_key__startswith="demo:",
        )
        .select_related("clinic")
        .order_by("start")
        .first()
    )
    if booked is None:
        return None
    join_waitlist(
        details=WAITING_PATIENT,
        service=service,
        clinics=[booked.clinic],
        weekdays=range(7),
        parts_of_day=PARTS_OF_DAY,
        consent=True,
        now=now - timedelta(days=3),
    )
    return cancel_appointment(appointment=booked, reason="Patient called to cancel (demo)", now=now)
