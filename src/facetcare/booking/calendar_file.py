"""The calendar file (.ics, RFC 5545) attached to booking emails, built with ``icalendar``.

Times are written in UTC (``DTSTART:20270329T090000Z``): an instant every calendar
reads the same way, so no VTIMEZONE has to be shipped and a daylight-saving
change cannot shift it. The event's UID is that of the first booking in a chain
of moves, and SEQUENCE counts the moves: a rescheduled booking's file updates the
event the patient already has, and a cancellation (METHOD:CANCEL) removes it.
"""

from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from facetcare.booking.manage import address_lines, manage_url
from facetcare.booking.models import Appointment
from facetcare.phones import display_phone

Method = Literal["REQUEST", "PUBLISH", "CANCEL"]
PRODUCT_ID = "-//FacetCare//Booking//EN"
# A chain of moves is short; the cap only guards against a cycle in bad data.
_MAX_MOVES = 50


def event_uid(appointment: Appointment) -> str:
    """Stable for the booking and every booking it was moved to: ``appointment-12@host``."""
    return _uid(_chain_root(appointment)[0])


def _uid(root_id: int) -> str:
    host = urlsplit(settings.FACETCARE_SITE_URL).hostname or "facetcare.invalid"
    return f"appointment-{root_id}@{host}"


def _chain_root(appointment: Appointment) -> tuple[int, int]:
    """The id of the first booking in ``appointment``'s chain of moves, and how many moves."""
    root_id, moves = appointment.pk, 0
    parent_id = appointment.rescheduled_from_id
    while parent_id is not None and moves < _MAX_MOVES:
        root_id, moves = parent_id, moves + 1
        parent_id = (
            Appointment.objects.filter(pk=parent_id)
            .values_list("rescheduled_from_id", flat=True)
            .first()
        )
    return root_id, moves


def appointment_ics(
    appointment: Appointment, *, method: Method = "REQUEST", now: datetime | None = None
) -> bytes:
    """The calendar file for ``appointment``: one VEVENT, METHOD ``method``.

    ``REQUEST``/``PUBLISH`` add or update the event; ``CANCEL`` removes it
    (STATUS:CANCELLED, same UID, a higher SEQUENCE). ``now`` stamps DTSTAMP.
    """
    root, moves = _chain_root(appointment)
    clinic, service = appointment.clinic, appointment.service
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", _uid(root))
    event.add("sequence", moves + (1 if method == "CANCEL" else 0))
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", f"{service.name} with {appointment.practitioner.display_name}")
    event.add("location", vText(", ".join([clinic.name, *address_lines(clinic.address)])))
    link = manage_url(appointment)
    event.add("description", _description(appointment, link, cancelled=method == "CANCEL"))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{clinic.email}")
    organizer.params["cn"] = vText(clinic.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{appointment.patient.email}")
    attendee.params["cn"] = vText(appointment.patient.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    if method != "CANCEL":
        attendee.params["partstat"] = vText("ACCEPTED")
    event.add("attendee", attendee)
    event.add("url", link)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def _description(appointment: Appointment, link: str, *, cancelled: bool) -> str:
    clinic = appointment.clinic
    phone = display_phone(clinic.phone, clinic.locale)
    if cancelled:
        return f"This appointment has been cancelled. To book again, call {clinic.name} on {phone}."
    lines = [f"{appointment.service.name} at {clinic.name}."]
    if appointment.service.preparation:
        lines.append(f"What to bring: {appointment.service.preparation.strip()}")
    lines.append(f"Clinic phone: {phone}")
    lines.append(f"Change or cancel: {link}")
    return "\n".join(lines)
