"""The clinic list ("Find a clinic"): each clinic's hours today, phone, map link and
next free appointment, nearest first when the patient says where they are.

The cards are worked out once per directory snapshot (a few seconds, see
``availability.kept_while_directory_stands``) and only the distances per request,
so the list costs little however often it is asked for; read fresh, it takes a
fixed number of queries whatever the number of clinics.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Prefetch
from django.urls import reverse

from facetcare import locales
from facetcare.booking.selectors import LocalSlot
from facetcare.clinics.hours import closure_on, day_hours, format_intervals, local_today
from facetcare.clinics.models import Clinic, Closure, OpeningHours, Service
from facetcare.core.scheduling.geo import haversine_km
from facetcare.phones import display_phone
from facetcare.public import availability
from facetcare.public.selectors import service_order

# How far ahead the list looks for a next free appointment; the booking pages
# themselves look as far as each service allows.
NEXT_FREE_DAYS = 28
KM_PER_MILE = 1.609344


@dataclass(frozen=True, slots=True)
class ClinicCard:
    """One clinic in the list, with the words and links its card shows."""

    clinic: Clinic
    today: date
    hours_today: str
    closed: bool
    service: Service | None
    next_free: LocalSlot | None
    next_free_text: str
    next_free_url: str
    book_url: str
    phone_text: str
    map_url: str
    looked_ahead_days: int
    miles: float | None = None


def list_clinic_cards(
    *, now: datetime, near: tuple[float, float] | None = None
) -> list[ClinicCard]:
    """Every active clinic with its hours today and next free appointment for its
    leading online service; by name, or nearest first from ``near`` (lat, lon)."""
    cards = availability.kept_while_directory_stands(
        "facetcare.public.clinic-cards",
        lambda: _cards(now),
        still_good=lambda kept: all(_still_free(card, now) for card in kept),
    )
    if near is None:
        return cards
    placed = [
        dataclasses.replace(
            card,
            miles=haversine_km(near, (float(card.clinic.latitude), float(card.clinic.longitude)))
            / KM_PER_MILE,
        )
        for card in cards
    ]
    return sorted(placed, key=lambda card: (card.miles, card.clinic.name))


def _still_free(card: ClinicCard, now: datetime) -> bool:
    """Whether a kept card's next free time can still be booked with the notice asked."""
    if card.next_free is None or card.service is None:
        return True
    return card.next_free.start >= now + timedelta(minutes=card.service.min_notice_minutes)


def _cards(now: datetime) -> list[ClinicCard]:
    """Read fresh: the clinics with their hours, today's closures, the services offered,
    then a few reads of bookings per distinct leading service."""
    clinics = list(
        Clinic.objects.filter(is_active=True)
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.order_by()))
        .order_by("name")
    )
    if not clinics:
        return []
    todays = {clinic.pk: local_today(clinic, now) for clinic in clinics}
    closures = _closures_between(clinics, min(todays.values()), max(todays.values()))
    leading = _leading_services(clinics)
    next_free: dict[int, LocalSlot] = {}
    for service, group in _group_by_service(leading, clinics):
        next_free |= availability.next_free_slots(
            service=service,
            clinics=group,
            now=now,
            days=min(NEXT_FREE_DAYS, service.max_advance_days),
        )
    book = reverse("public:book")
    return [
        _card(
            clinic,
            today=todays[clinic.pk],
            closure=closure_on(closures.get(clinic.pk, ()), todays[clinic.pk]),
            service=leading.get(clinic.pk),
            next_free=next_free.get(clinic.pk),
            book=book,
        )
        for clinic in clinics
    ]


def _card(
    clinic: Clinic,
    *,
    today: date,
    closure: Closure | None,
    service: Service | None,
    next_free: LocalSlot | None,
    book: str,
) -> ClinicCard:
    hours = format_intervals(day_hours(clinic.opening_hours.all(), today.weekday()), clinic.locale)
    if closure is not None:
        hours = f"Closed ({closure.reason or closure.get_kind_display()})"
    lat, lon = clinic.latitude, clinic.longitude
    next_free_text = next_free_url = ""
    if next_free is not None and service is not None:
        next_free_text = f"{_day_name(next_free.start.date(), today, clinic.locale)} at " + (
            locales.format_time(next_free.start, clinic.locale)
        )
        next_free_url = f"{book}{clinic.slug}/{service.slug}/?day={next_free.start.date()}"
    return ClinicCard(
        clinic=clinic,
        today=today,
        hours_today=hours or "Closed",
        closed=closure is not None or not hours,
        service=service,
        next_free=next_free,
        next_free_text=next_free_text,
        next_free_url=next_free_url,
        book_url=f"{book}{clinic.slug}/",
        phone_text=display_phone(clinic.phone, clinic.locale),
        map_url=f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}",
        looked_ahead_days=min(NEXT_FREE_DAYS, service.max_advance_days) if service else 0,
    )


def _day_name(day: date, today: date, locale: str) -> str:
    if day == today:
        return "Today"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    return locales.format_short_date(day, locale)


def _closures_between(clinics: list[Clinic], first: date, last: date) -> dict[int, list[Closure]]:
    found: dict[int, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.filter(
        clinic__in=clinics, first_day__lte=last, last_day__gte=first
    ).order_by():
        found[closure.clinic_id].append(closure)
    return found


def _leading_services(clinics: list[Clinic]) -> dict[int, Service]:
    """Per clinic, the online service a new patient would most likely book first."""
    offered = (
        Service.objects.filter(
            is_active=True,
            online_bookable=True,
            practitioners__is_active=True,
            practitioners__profession=F("required_profession"),
            practitioners__clinics__in=clinics,
        )
        .annotate(at_clinic=F("practitioners__clinics"))
        .distinct()
        .order_by()
    )
    leading: dict[int, Service] = {}
    for service in offered:
        current = leading.get(service.at_clinic)
        if current is None or service_order(service) < service_order(current):
            leading[service.at_clinic] = service
    return leading


def _group_by_service(
    leading: dict[int, Service], clinics: list[Clinic]
) -> list[tuple[Service, list[Clinic]]]:
    groups: dict[int, tuple[Service, list[Clinic]]] = {}
    for clinic in clinics:
        service = leading.get(clinic.pk)
        if service is not None:
            groups.setdefault(service.pk, (service, []))[1].append(clinic)
    return list(groups.values())
