"""Reads for the public booking pages: clinics, what they offer, free days and times.

Everything here is public information about clinics; the one read that reaches a
booking (``get_booked_appointment``) needs the booking's signed link.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F

from facetcare.booking.models import Appointment
from facetcare.booking.pricing import Quote, quote
from facetcare.booking.selectors import LocalSlot, get_appointment, get_local_availability
from facetcare.booking.tokens import ManageLinkInvalid, is_valid_manage_token, read_manage_link
from facetcare.clinics.hours import local_today
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.clinics.selectors import get_practitioner
from facetcare.errors import InvalidInput, NotFound
from facetcare.public import availability

# Services in the order a new patient looks for them: their first booking is an
# assessment, so assessments come first (and stand for a clinic in the clinic list).
CATEGORY_ORDER: dict[str, int] = {
    Service.Category.ASSESSMENT: 0,
    Service.Category.CONSULTATION: 1,
    Service.Category.TREATMENT: 2,
    Service.Category.CLASS: 3,
    Service.Category.PROCEDURE: 4,
}
MAX_SLOTS_A_DAY = 1000


def service_order(service: Service) -> tuple[int, str]:
    return (CATEGORY_ORDER.get(service.category, 9), service.name)


def get_public_clinic(*, slug: str) -> Clinic:
    """An active clinic with its opening hours; NotFound otherwise."""
    clinic = (
        Clinic.objects.filter(slug=slug, is_active=True).prefetch_related("opening_hours").first()
    )
    if clinic is None:
        raise NotFound("We could not find that clinic. It may have closed or moved.")
    return clinic


@dataclass(frozen=True, slots=True)
class ServiceOffer:
    """A service a clinic gives, with what it costs when booked online."""

    service: Service
    quote: Quote

    @property
    def online(self) -> bool:
        return self.service.online_bookable


def list_service_offers(*, clinic: Clinic) -> list[ServiceOffer]:
    """The active services someone at ``clinic`` gives: online ones first, assessments
    leading, then those only the clinic can book. One query."""
    services = (
        Service.objects.filter(
            is_active=True,
            practitioners__is_active=True,
            practitioners__profession=F("required_profession"),
            practitioners__clinics=clinic,
        )
        .distinct()
        .order_by()
    )
    ordered = sorted(services, key=lambda s: (not s.online_bookable, *service_order(s)))
    return [ServiceOffer(s, _online_quote(s, clinic)) for s in ordered]


def get_service_offer(*, clinic: Clinic, slug: str) -> ServiceOffer:
    """The service ``slug`` as ``clinic`` gives it; NotFound if it does not."""
    service = (
        Service.objects.filter(
            slug=slug,
            is_active=True,
            practitioners__is_active=True,
            practitioners__profession=F("required_profession"),
            practitioners__clinics=clinic,
        )
        .distinct()
        .first()
    )
    if service is None:
        raise NotFound(f"{clinic.name} does not offer that service.")
    return ServiceOffer(service, _online_quote(service, clinic))


def _online_quote(service: Service, clinic: Clinic) -> Quote:
    channel = Appointment.Channel.ONLINE if service.online_bookable else Appointment.Channel.PHONE
    return quote(service=service, channel=channel, currency=clinic.currency)


@dataclass(frozen=True, slots=True)
class DayChoice:
    day: date
    has_space: bool
    is_today: bool
    selected: bool


@dataclass(frozen=True, slots=True)
class TimeChoice:
    """One time on the list: bookable (with whom) or a full class session."""

    start: datetime
    practitioner_id: int
    places_left: int = 0
    full: bool = False


@dataclass(slots=True)
class TimePicker:
    """The week strip and the chosen day's times, grouped morning, afternoon, evening."""

    today: date
    day: date
    days: list[DayChoice]
    groups: list[tuple[str, list[TimeChoice]]]
    previous_week: date | None
    next_week: date | None
    offered: bool
    any_in_horizon: bool = True

    @property
    def has_times(self) -> bool:
        return any(not choice.full for _, choices in self.groups for choice in choices)


def get_time_picker(
    *, clinic: Clinic, service: Service, day: date | None, now: datetime
) -> TimePicker:
    """The days with space in the week around ``day`` and the times free on it.

    Without ``day`` the week starts today and the day is the first with space:
    today when it has any; when the whole week is full, the week of the next free
    appointment. Weeks start on the clinic's today, seven days at a time. Raises
    InvalidInput (field ``day``) for a day before today or past the service's horizon.
    """
    today = local_today(clinic, now)
    last = (now + timedelta(days=service.max_advance_days)).astimezone(ZoneInfo(clinic.time_zone))
    if day is not None and not today <= day <= last.date():
        raise InvalidInput(
            f"Choose a day from today up to {service.max_advance_days} days ahead", field="day"
        )
    week_start = today if day is None else today + timedelta(days=(day - today).days // 7 * 7)
    week = availability.week_availability(
        service=service, clinic=clinic, first_day=week_start, day=day, now=now
    )
    any_in_horizon = True
    if day is None and week.offered and not week.days_with_space:
        found = availability.next_free_slots(
            service=service, clinics=[clinic], now=now, days=service.max_advance_days
        ).get(clinic.pk)
        any_in_horizon = found is not None
        if found is not None:
            chosen = found.start.date()
            week_start = today + timedelta(days=(chosen - today).days // 7 * 7)
            week = availability.week_availability(
                service=service, clinic=clinic, first_day=week_start, day=chosen, now=now
            )
    return TimePicker(
        today=today,
        day=week.day,
        days=[
            DayChoice(d, d in week.days_with_space, d == today, d == week.day) for d in week.days
        ],
        groups=_grouped(week),
        previous_week=week_start - timedelta(days=7) if week_start > today else None,
        next_week=week_start + timedelta(days=7)
        if week_start + timedelta(days=7) <= last.date()
        else None,
        offered=week.offered,
        any_in_horizon=any_in_horizon,
    )


GROUPS = (("Morning", 0, 12), ("Afternoon", 12, 17), ("Evening", 17, 24))


def _grouped(week: availability.Week) -> list[tuple[str, list[TimeChoice]]]:
    """One choice per start time (the first practitioner free then), full sessions too."""
    by_start: dict[datetime, TimeChoice] = {}
    for slot in week.slots:
        by_start.setdefault(
            slot.start, TimeChoice(slot.start, slot.practitioner_id, slot.places_left)
        )
    for session in week.full_sessions:
        by_start.setdefault(
            session.start, TimeChoice(session.start, session.practitioner_id, full=True)
        )
    choices = sorted(by_start.values(), key=lambda choice: choice.start)
    return [
        (name, found)
        for name, low, high in GROUPS
        if (found := [c for c in choices if low <= c.start.hour < high])
    ]


def find_offered_slot(
    *, clinic: Clinic, service: Service, practitioner_id: int, start: datetime, now: datetime
) -> tuple[Practitioner, LocalSlot] | None:
    """The practitioner and the slot if ``start`` with them is still free, else None."""
    practitioner = get_practitioner(practitioner_id=practitioner_id)
    if practitioner is None:
        return None
    day = start.astimezone(ZoneInfo(clinic.time_zone)).date()
    slots = get_local_availability(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        first_day=day,
        days=1,
        limit=MAX_SLOTS_A_DAY,
        now=now,
    )
    slot = next((s for s in slots if s.start == start), None)
    return None if slot is None else (practitioner, slot)


def get_booked_appointment(*, token: str, now: datetime) -> Appointment:
    """The booking a confirmation link names, with its service, clinic and practitioner.

    Raises NotFound for an altered or expired link, or one whose booking has since
    been given a new secret (so an old link cannot reach it).
    """
    try:
        link = read_manage_link(token, now=now)
    except ManageLinkInvalid as invalid:
        raise NotFound(invalid.detail) from None
    appointment = get_appointment(appointment_id=link.appointment_id)
    if not is_valid_manage_token(appointment, link.token):
        raise NotFound("This link is not valid. Please use the link from your latest email.")
    return appointment
