"""Emails about bookings, sent after the transaction that made the change commits."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail

from facetcare.booking.models import Appointment
from facetcare.booking.tokens import manage_token


def _when(appointment: Appointment) -> str:
    local = appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone))
    return f"{local:%A %d %B %Y at %H:%M} ({appointment.clinic.time_zone})"


def send_booking_confirmation(appointment: Appointment) -> None:
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


def send_cancellation_notice(appointment: Appointment) -> None:
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
