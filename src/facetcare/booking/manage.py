"""Reads behind a patient's manage link: which booking a link opens, what may still change,
and the free times it may move to.

A link names its booking only through its signed token (``booking.tokens``), so
nothing a visitor types can point it at another booking. Whether a change is
still allowed online is the service's minimum notice: the same rule that stops a
new booking too close to its start stops a cancellation or a move, and past it
the page gives the clinic's phone number instead.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from facetcare.booking.models import Appointment
from facetcare.booking.selectors import LocalSlot, get_appointment, get_local_availability
from facetcare.booking.tokens import (
    ManageLinkInvalid,
    is_valid_manage_token,
    manage_link_token,
    read_manage_link,
)
from facetcare.clinics.hours import HoursLine, local_today, weekly_hours
from facetcare.clinics.models import Clinic, OpeningHours, Practitioner
from facetcare.errors import InvalidInput, NotFound, SlotTaken

STRIP_DAYS = 7
# Free times a day's list can hold: every quarter hour of a long day for a large team.
DAY_LIMIT = 2000
# Far enough back that any link's expiry lies after it (see ``open_manage_link``).
_BEFORE_ANY_LINK = datetime(2000, 1, 1, tzinfo=UTC)
_CHOICE_FORMAT = "%Y%m%dT%H%MZ"


def manage_path(appointment: Appointment) -> str:
    """The path of ``appointment``'s manage page, with a fresh signed token (for links
    and redirects on the site's own pages)."""
    return reverse("booking:manage", kwargs={"token": manage_link_token(appointment)})


def manage_url(appointment: Appointment) -> str:
    """The full address of ``appointment``'s manage page, for emails and texts."""
    return f"{settings.FACETCARE_SITE_URL}{manage_path(appointment)}"


class ManageLinkRefused(Exception):
    """A link that opens nothing: ``status`` 410 when it expired, 404 when it is not valid.

    ``clinic`` is the booking's clinic when the link was genuine, so the page can
    still give its phone number.
    """

    def __init__(self, detail: str, *, status: int, clinic: Clinic | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.clinic = clinic


def open_manage_link(token: str, *, now: datetime) -> Appointment:
    """The appointment a manage link opens, with its service, clinic and practitioner.

    Raises ManageLinkRefused for an altered, revoked or expired link.
    """
    try:
        link = read_manage_link(token, now=now)
    except ManageLinkInvalid as invalid:
        if not invalid.expired:
            raise ManageLinkRefused(invalid.detail, status=404) from None
        raise ManageLinkRefused(
            "This link has expired: links work until the day after the appointment.",
            status=410,
            clinic=_clinic_of_expired_link(token),
        ) from None
    try:
        appointment = get_appointment(appointment_id=link.appointment_id)
    except NotFound:
        raise ManageLinkRefused("This link does not match a booking.", status=404) from None
    if not is_valid_manage_token(appointment, link.token):
        raise ManageLinkRefused(
            "This link is no longer valid. Please use the link from your latest email.",
            status=404,
            clinic=appointment.clinic,
        )
    return appointment


def _clinic_of_expired_link(token: str) -> Clinic | None:
    # The signature has already been checked; reading the link as of a time
    # before it expired names the booking, so the page can give its clinic's phone.
    link = read_manage_link(token, now=_BEFORE_ANY_LINK)
    appointment = Appointment.objects.select_related("clinic").filter(pk=link.appointment_id)
    found = appointment.first()
    if found is None or not is_valid_manage_token(found, link.token):
        return None
    return found.clinic


def change_deadline(appointment: Appointment) -> datetime:
    """The last instant the booking may be cancelled or moved online (its minimum notice)."""
    return appointment.start - timedelta(minutes=appointment.service.min_notice_minutes)


def is_open_to_change(appointment: Appointment) -> bool:
    """Booked and not yet started: the only state a cancellation or move applies to."""
    return appointment.status == Appointment.Status.BOOKED


def too_late_to_change(appointment: Appointment, *, now: datetime) -> bool:
    """Whether a booked appointment is inside its minimum notice: only the clinic changes it now."""
    return is_open_to_change(appointment) and now >= change_deadline(appointment)


def can_move_online(appointment: Appointment) -> bool:
    """A service only staff may book (a procedure after review) is moved by the clinic."""
    return appointment.service.online_bookable and appointment.service.is_active


def latest_move(appointment: Appointment) -> Appointment | None:
    """Where a rescheduled booking went, following later moves to the booking that stands."""
    current: Appointment | None = None
    successor = Appointment.objects.filter(rescheduled_from=appointment).first()
    while successor is not None:
        current = successor
        successor = Appointment.objects.filter(rescheduled_from=current).first()
    if current is None:
        return None
    return get_appointment(appointment_id=current.pk)


def local_start(appointment: Appointment) -> datetime:
    return appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone))


def address_lines(address: str) -> list[str]:
    """An address's non-empty lines, stripped (to join with commas on one line)."""
    return [line.strip() for line in address.splitlines() if line.strip()]


def opening_hours(clinic: Clinic) -> list[HoursLine]:
    """The clinic's weekly hours as the public pages write them (``clinics.hours``)."""
    return weekly_hours(OpeningHours.objects.filter(clinic=clinic), clinic.locale)


@dataclass(frozen=True, slots=True)
class StripDay:
    day: date
    has_space: bool
    is_selected: bool


@dataclass(frozen=True, slots=True)
class FreeTime:
    """One time a booking may move to, with the practitioner who would see the patient."""

    start: datetime  # in the clinic's zone
    practitioner: Practitioner
    places_left: int
    choice: str  # the form value naming this start and practitioner

    @property
    def part_of_day(self) -> str:
        if self.start.hour < 12:
            return "Morning"
        return "Afternoon" if self.start.hour < 17 else "Evening"


@dataclass(frozen=True, slots=True)
class DayWindow:
    """The local days a booking may move to: from today to the service's furthest advance."""

    first: date
    last: date

    def clamp(self, day: date) -> date:
        return min(max(day, self.first), self.last)

    def strip_start(self, day: date) -> date:
        """The strip of days holding ``day``: weeks counted from the first day."""
        return self.first + timedelta(days=(day - self.first).days // STRIP_DAYS * STRIP_DAYS)


def day_window(appointment: Appointment, *, now: datetime) -> DayWindow:
    """The clinic's local days from today to the service's furthest advance booking."""
    first = local_today(appointment.clinic, now=now)
    last = local_today(
        appointment.clinic, now=now + timedelta(days=appointment.service.max_advance_days)
    )
    return DayWindow(first, last)


def day_strip(
    appointment: Appointment, *, selected: date, now: datetime
) -> tuple[list[StripDay], DayWindow]:
    """The days of the strip holding ``selected``, each marked by whether it has a free time."""
    window = day_window(appointment, now=now)
    first = window.strip_start(selected)
    days = [first + timedelta(days=n) for n in range(STRIP_DAYS)]
    return [
        StripDay(day, _has_space(appointment, day, now), day == selected)
        for day in days
        if day <= window.last
    ], window


def first_day_with_space(appointment: Appointment, *, now: datetime) -> date:
    """The earliest local day with a free time in the first strip, else today."""
    window = day_window(appointment, now=now)
    found = get_local_availability(
        service=appointment.service,
        clinic=appointment.clinic,
        first_day=window.first,
        days=STRIP_DAYS,
        limit=1,
        now=now,
    )
    return found[0].start.date() if found else window.first


def _has_space(appointment: Appointment, day: date, now: datetime) -> bool:
    return bool(
        get_local_availability(
            service=appointment.service,
            clinic=appointment.clinic,
            first_day=day,
            days=1,
            limit=1,
            now=now,
        )
    )


def free_times(appointment: Appointment, *, day: date, now: datetime) -> list[FreeTime]:
    """The times on local ``day`` the booking may move to, one per start.

    Any practitioner at the clinic who provides the service will do; at a start
    where the booking's own practitioner is free, they are the one offered.
    """
    slots = _day_slots(appointment, day, now)
    practitioners = Practitioner.objects.in_bulk({slot.practitioner_id for slot in slots})
    chosen: dict[datetime, LocalSlot] = {}
    for slot in slots:
        held = chosen.get(slot.start)
        if held is None or slot.practitioner_id == appointment.practitioner_id:
            chosen[slot.start] = slot
    return [
        FreeTime(
            start=slot.start,
            practitioner=practitioners[slot.practitioner_id],
            places_left=slot.places_left,
            choice=_choice(slot),
        )
        for _, slot in sorted(chosen.items())
    ]


def _day_slots(appointment: Appointment, day: date, now: datetime) -> list[LocalSlot]:
    return get_local_availability(
        service=appointment.service,
        clinic=appointment.clinic,
        first_day=day,
        days=1,
        limit=DAY_LIMIT,
        now=now,
    )


def _choice(slot: LocalSlot) -> str:
    return f"{slot.start.astimezone(UTC):{_CHOICE_FORMAT}}.{slot.practitioner_id}"


def chosen_time(appointment: Appointment, *, choice: str, now: datetime) -> FreeTime:
    """The free time a submitted choice names, checked against the times free right now.

    Raises InvalidInput (field ``time``) when the choice is malformed and SlotTaken
    when the time is no longer free, so the person goes back to the list with a message.
    """
    start_text, _, practitioner_text = choice.partition(".")
    try:
        start = datetime.strptime(f"{start_text}+0000", f"{_CHOICE_FORMAT}%z")
        practitioner_id = int(practitioner_text)
    except ValueError:
        raise InvalidInput("Choose one of the free times listed", field="time") from None
    day = start.astimezone(ZoneInfo(appointment.clinic.time_zone)).date()
    for slot in _day_slots(appointment, day, now):
        if slot.start == start and slot.practitioner_id == practitioner_id:
            return FreeTime(
                start=slot.start,
                practitioner=Practitioner.objects.get(pk=practitioner_id),
                places_left=slot.places_left,
                choice=choice,
            )
    raise SlotTaken("That time is no longer free; please choose another time", field="time")
