"""Emails about bookings, handed to the task backend once the change has committed.

Sending mail talks to an SMTP server, so it is never on a booking's request
path: the service queues a task after commit, and the configured task backend
(``settings.TASKS``) runs it, in process in the embedded tier, in a worker
process in production. A task gets only the appointment's id, so a queued
message always describes the booking as it stands when it is sent.
"""

from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task

from facetcare.booking.models import Appointment
from facetcare.booking.tokens import manage_token


def queue_booking_confirmation(appointment: Appointment) -> None:
    """Send the confirmation for ``appointment`` once the current transaction commits."""
    transaction.on_commit(partial(send_booking_confirmation.enqueue, appointment.pk), robust=True)


def queue_cancellation_notice(appointment: Appointment) -> None:
    """Send the cancellation notice for ``appointment`` once the current transaction commits."""
    transaction.on_commit(partial(send_cancellation_notice.enqueue, appointment.pk), robust=True)


def _appointment(appointment_id: int) -> Appointment:
    return Appointment.objects.select_related("patient", "service", "practitioner", "clinic").get(
        pk=appointment_id
    )


def _when(appointment: Appointment) -> str:
    local = appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone))
    return f"{local:%A %d %B %Y at %H:%M} ({appointment.clinic.time_zone})"


@task
def send_booking_confirmation(appointment_id: int) -> None:
    appointment = _appointment(appointment_id)
    body = (
        f"Dear {appointment.patient.first_name},\n\n"
        f"Your {appointment.service.name} with {appointment.practitioner.display_name} "
        f"is booked for {_when(appointment)} at {appointment.clinic.name}, "
        f"{appointment.clinic.address}.\n\n"
        f"Booking reference: {appointment.pk}\n"
        f"To reschedule or cancel, use this code with your reference: "
        f"{manage_token(appointment)}\n"
    )
    send_mail(
        f"Booking confirmed: {appointment.service.name}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [appointment.patient.email],
    )


@task
def send_cancellation_notice(appointment_id: int) -> None:
    appointment = _appointment(appointment_id)
    body = (
        f"Dear {appointment.patient.first_name},\n\n"
        f"Your {appointment.service.name} on {_when(appointment)} at "
        f"{appointment.clinic.name} has been cancelled.\n"
    )
    send_mail(
        f"Booking cancelled: {appointment.service.name}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [appointment.patient.email],
    )
