"""Emails (and texts) about bookings, handed to the task backend once the change has committed.

Sending mail talks to an SMTP server, so it is never on a booking's request
path: the service queues a task after commit, and the configured task backend
(``settings.TASKS``) runs it, in a worker process. A task gets only the
appointment's id, so a queued message always describes the booking as it stands
when it is sent.

Three messages: a confirmation, a "your appointment has moved" (a reschedule
books a new appointment linked by ``rescheduled_from`` and queues its
confirmation, so the confirmation task tells the two apart), and a cancellation.
Each is plain text with an HTML alternative and a calendar file. A patient who
opted in to texts (``Patient.contact_by_sms``) also gets a short SMS.
``render_appointment_summary`` and ``appointment_ics`` are the pieces reminders
reuse.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

from facetcare import locales
from facetcare.booking.calendar_file import Method, appointment_ics
from facetcare.booking.manage import address_lines, local_start, manage_url
from facetcare.booking.models import Appointment
from facetcare.phones import display_phone
from facetcare.sms import send_sms

__all__ = [
    "appointment_ics",
    "queue_booking_confirmation",
    "queue_cancellation_notice",
    "render_appointment_summary",
    "send_booking_confirmation",
    "send_cancellation_notice",
    "summarise_appointment",
]

logger = logging.getLogger(__name__)
_SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€"}


def queue_booking_confirmation(appointment: Appointment) -> None:
    """Send the confirmation for ``appointment`` once the current transaction commits."""
    transaction.on_commit(partial(send_booking_confirmation.enqueue, appointment.pk), robust=True)


def queue_cancellation_notice(appointment: Appointment) -> None:
    """Send the cancellation notice for ``appointment`` once the current transaction commits."""
    transaction.on_commit(partial(send_cancellation_notice.enqueue, appointment.pk), robust=True)


def format_price(amount: Decimal, currency: str) -> str:
    """``£54.00``, ``$120.00``; an unknown currency as ``54.00 CHF``."""
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


@dataclass(frozen=True, slots=True)
class AppointmentSummary:
    """What a patient is told about a booking, written in its clinic's locale and zone."""

    reference: int
    service: str
    practitioner: str
    when: str  # "Monday 7 December 2026 at 10:00 GMT"
    short_when: str  # "Mon 7 Dec, 10:00 GMT"
    clinic: str
    address: str
    address_line: str  # the address on one line, comma-separated
    phone: str  # as written locally
    phone_e164: str
    preparation: str
    price: str
    manage_url: str


def summarise_appointment(appointment: Appointment) -> AppointmentSummary:
    """What every message about ``appointment`` says: when (in the clinic's zone and
    locale), where, with whom, the price, the clinic's phone and the manage link."""
    clinic = appointment.clinic
    start = local_start(appointment)
    payable = appointment.price - appointment.discount
    price = format_price(payable, appointment.currency)
    if appointment.discount:
        price += f" (includes {format_price(appointment.discount, appointment.currency)} saving)"
    return AppointmentSummary(
        reference=appointment.pk,
        service=appointment.service.name,
        practitioner=appointment.practitioner.display_name,
        when=locales.format_datetime(start, clinic.locale),
        short_when=f"{locales.format_short_date(start.date(), clinic.locale)}, "
        f"{locales.format_time(start, clinic.locale)} {start.tzname()}",
        clinic=clinic.name,
        address=clinic.address.strip(),
        address_line=", ".join(address_lines(clinic.address)),
        phone=display_phone(clinic.phone, clinic.locale),
        phone_e164=clinic.phone,
        preparation=appointment.service.preparation.strip(),
        price=price,
        manage_url=manage_url(appointment),
    )


def render_appointment_summary(appointment: Appointment, *, manage_link: bool = True) -> str:
    """The booking's facts as plain text: what, with whom, when (local, with zone), where, ..."""
    return _summary_text(summarise_appointment(appointment), manage_link=manage_link)


def _summary_text(summary: AppointmentSummary, *, manage_link: bool) -> str:
    context = {"summary": summary, "manage_link": manage_link}
    return render_to_string("booking/email/summary.txt", context).strip()


def _appointment(appointment_id: int) -> Appointment:
    return Appointment.objects.select_related("patient", "service", "practitioner", "clinic").get(
        pk=appointment_id
    )


@task
def send_booking_confirmation(appointment_id: int) -> None:
    """Confirm a booking, or, for one that a reschedule made, say where it moved."""
    appointment = _appointment(appointment_id)
    if not appointment.is_live:
        # Cancelled before this ran: its cancellation notice says all there is to say.
        return
    if appointment.rescheduled_from_id is None:
        _send(appointment, "confirmed", method="REQUEST")
        _text(appointment, "booked")
        return
    previous = _appointment(appointment.rescheduled_from_id)
    _send(appointment, "moved", method="REQUEST", previous=summarise_appointment(previous))
    _text(appointment, "moved")


@task
def send_cancellation_notice(appointment_id: int) -> None:
    """Tell the patient the booking is cancelled (email with a CANCEL calendar file, and a
    text if they opted in)."""
    appointment = _appointment(appointment_id)
    _send(appointment, "cancelled", method="CANCEL")
    _text(appointment, "cancelled")


_SUBJECTS = {
    "confirmed": "Booking confirmed: {service}, {short_when}",
    "moved": "Appointment moved: {service}, now {short_when}",
    "cancelled": "Booking cancelled: {service}, {short_when}",
}


def _send(appointment: Appointment, kind: str, *, method: Method, **extra: Any) -> None:
    summary = summarise_appointment(appointment)
    context = {
        "summary": summary,
        "patient": appointment.patient,
        "summary_text": _summary_text(summary, manage_link=kind != "cancelled"),
        "page_lang": appointment.clinic.locale,
        **extra,
    }
    message = EmailMultiAlternatives(
        subject=_SUBJECTS[kind].format(service=summary.service, short_when=summary.short_when),
        body=render_to_string(f"booking/email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appointment.patient.email],
        reply_to=[appointment.clinic.email],
    )
    message.attach_alternative(render_to_string(f"booking/email/{kind}.html", context), "text/html")
    message.attach(
        "appointment.ics",
        appointment_ics(appointment, method=method),
        f"text/calendar; method={method}; charset=utf-8",
    )
    message.send()


_TEXTS = {
    "booked": "{clinic}: your {service} is booked for {when}. Details and changes: see your email.",
    "moved": "{clinic}: your {service} has moved to {when}. Details and changes: see your email.",
    "cancelled": "{clinic}: your {service} on {when} is cancelled. To rebook call {phone}.",
}


def _text(appointment: Appointment, kind: str) -> None:
    """A short SMS, only to a patient who opted in to texts."""
    patient = appointment.patient
    if not (patient.phone and patient.contact_by_sms):
        return
    summary = summarise_appointment(appointment)
    body = _TEXTS[kind].format(
        clinic=summary.clinic, service=summary.service, when=summary.short_when, phone=summary.phone
    )
    try:
        send_sms(to=patient.phone, body=body)
    except Exception:
        # The email has gone; a failed text must not mark the whole notice failed.
        logger.exception(
            "Could not text patient %s about appointment %s", patient.pk, appointment.pk
        )
