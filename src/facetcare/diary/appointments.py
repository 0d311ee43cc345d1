"""Reads of single bookings for the diary: a booking with its history and what can be
done with it now, and a practitioner's bookings on a day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from facetcare.audit.models import RecordVersion
from facetcare.booking.models import Appointment
from facetcare.booking.services import ATTENDANCE_FROM, attendance_problem
from facetcare.clinics.models import Practitioner
from facetcare.diary.selectors import ListRow
from facetcare.errors import NotFound


def get_diary_appointment(*, appointment_id: int) -> Appointment:
    """One appointment with what its page shows (who booked it, what it was moved
    from or to). Raises NotFound."""
    appointment = (
        Appointment.objects.select_related(
            "service", "clinic", "practitioner", "room", "patient", "booked_by", "rescheduled_from"
        )
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise NotFound("No such booking")
    return appointment


def get_moved_to(*, appointment: Appointment) -> Appointment | None:
    """The booking ``appointment`` was moved to, if it was."""
    return Appointment.objects.filter(rescheduled_from=appointment).first()


def list_practitioner_day(*, practitioner: Practitioner, day: date) -> list[ListRow]:
    """``practitioner``'s live appointments on local ``day`` (each clinic's own zone),
    earliest first, with the patient, service, clinic and room: one query."""
    # Every zone's local day lies within a day and a half either side of UTC's.
    low = datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo("UTC"))
    appointments = (
        Appointment.objects.filter(
            Appointment.LIVE,
            practitioner=practitioner,
            start__gte=low,
            start__lt=low + timedelta(days=3),
        )
        .select_related("patient", "service", "clinic", "room")
        .order_by("start", "pk")
    )
    rows = []
    for appointment in appointments:
        zone = ZoneInfo(appointment.clinic.time_zone)
        start = appointment.start.astimezone(zone)
        if start.date() == day:
            rows.append(ListRow(appointment, start, appointment.end.astimezone(zone)))
    return rows


def list_appointment_history(*, appointment: Appointment) -> list[RecordVersion]:
    """Who changed the booking and why (attendance, cancel, move), oldest first."""
    content_type = ContentType.objects.get_for_model(Appointment)
    return list(
        RecordVersion.objects.filter(content_type=content_type, object_id=appointment.pk)
        .select_related("changed_by")
        .order_by("version")
    )


def attendance_marks(*, appointment: Appointment, now: datetime) -> list[str]:
    """The attendance marks ``appointment`` can take at ``now``, in the order offered."""
    return [
        status for status in ATTENDANCE_FROM if attendance_problem(appointment, status, now) is None
    ]
