"""Waitlist reads: who is next in line for a slot, whether a slot is free, the staff lists."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from facetcare.booking.selectors import get_availability, get_local_availability
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.errors import NotFound
from facetcare.waitlist.matching import suits
from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer

# A day holds at most 24 h / 5 min starts per practitioner; ask for all of them.
_A_DAYS_SLOTS = 300


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A start for ``service`` with ``practitioner`` at ``clinic`` (aware, any zone)."""

    service: Service
    clinic: Clinic
    practitioner: Practitioner
    start: datetime

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.clinic.time_zone))


def slot_is_free(slot: FreeSlot, *, now: datetime) -> bool:
    """Whether ``slot`` could be booked online right now (free, bookable notice)."""
    found = get_availability(
        service=slot.service,
        clinic=slot.clinic,
        practitioner=slot.practitioner,
        first_day=slot.local_start.date(),
        days=1,
        limit=_A_DAYS_SLOTS,
        now=now,
    )
    return any(free.start == slot.start for free in found)


def get_slot(*, service: Service, clinic: int, practitioner: int, start: datetime) -> FreeSlot:
    """The slot a staff form names by ids; NotFound if the clinic or practitioner is not
    there. Whether it is free is the offer's to check."""
    found_clinic = Clinic.objects.filter(pk=clinic).first()
    found_practitioner = Practitioner.objects.filter(pk=practitioner).first()
    if found_clinic is None or found_practitioner is None:
        raise NotFound("That time is not one we can offer; choose one from the list")
    return FreeSlot(service, found_clinic, found_practitioner, start)


def next_in_line(slot: FreeSlot, *, limit: int) -> list[WaitlistEntry]:
    """The first ``limit`` waiting entries that ``slot`` suits and that have not been
    offered it yet, first joined first."""
    offered = WaitlistOffer.objects.filter(
        clinic=slot.clinic, practitioner=slot.practitioner, start=slot.start
    ).values("entry_id")
    waiting = (
        WaitlistEntry.objects.filter(
            service=slot.service, clinics=slot.clinic, status=WaitlistEntry.Status.WAITING
        )
        .exclude(pk__in=offered)
        .order_by("joined_at", "pk")
    )
    local = slot.local_start
    chosen = []
    for entry in waiting.iterator(chunk_size=200):
        if suits(local, weekdays=entry.weekdays, parts_of_day=entry.parts_of_day):
            chosen.append(entry)
            if len(chosen) == limit:
                break
    return chosen


def list_entries(
    *, clinic: Clinic | None = None, service: Service | None = None, status: str = ""
) -> list[WaitlistEntry]:
    """Entries for the staff page, first joined first, with their clinics and offers.

    Three queries whatever the number of entries.
    """
    entries: QuerySet[WaitlistEntry] = WaitlistEntry.objects.select_related("service")
    if clinic is not None:
        entries = entries.filter(clinics=clinic)
    if service is not None:
        entries = entries.filter(service=service)
    if status:
        entries = entries.filter(status=status)
    return list(
        entries.prefetch_related(
            Prefetch("clinics", queryset=Clinic.objects.order_by("name")),
            Prefetch("offers", queryset=WaitlistOffer.objects.order_by("-created_at")),
        ).order_by("service__name", "joined_at", "pk")
    )


def get_entry(*, entry_id: int) -> WaitlistEntry:
    """One entry with its service and clinics; NotFound if there is none."""
    entry = (
        WaitlistEntry.objects.select_related("service", "appointment", "removed_by")
        .prefetch_related(Prefetch("clinics", queryset=Clinic.objects.order_by("name")))
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound("No such waitlist entry")
    return entry


def list_entry_offers(*, entry: WaitlistEntry) -> list[WaitlistOffer]:
    """The offers made to ``entry``, newest first, with what they offered."""
    return list(
        WaitlistOffer.objects.filter(entry=entry)
        .select_related("clinic", "practitioner", "service", "offered_by")
        .order_by("-created_at", "pk")
    )


def get_offer(*, offer_id: int) -> WaitlistOffer:
    """One offer with its entry, service, clinic and practitioner; NotFound if none."""
    offer = (
        WaitlistOffer.objects.select_related("entry", "service", "clinic", "practitioner")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise NotFound("No such offer")
    return offer


def suggest_slots(
    *, entry: WaitlistEntry, now: datetime, days: int = 14, limit: int = 8
) -> list[FreeSlot]:
    """Free times in the next ``days`` at the entry's clinics that suit it, earliest
    first and at most two a day: what reception may offer by hand."""
    found: list[tuple[datetime, Clinic, int]] = []
    for clinic in entry.clinics.all():
        if not clinic.is_active:
            continue
        for free in get_local_availability(
            service=entry.service, clinic=clinic, days=days, limit=_A_DAYS_SLOTS, now=now
        ):
            if suits(free.start, weekdays=entry.weekdays, parts_of_day=entry.parts_of_day):
                found.append((free.start, clinic, free.practitioner_id))
    found.sort(key=lambda each: each[0])
    chosen = _spread(found, per_day=2)[:limit]
    people = Practitioner.objects.in_bulk({practitioner_id for _, _, practitioner_id in chosen})
    return [
        FreeSlot(entry.service, clinic, people[practitioner_id], start)
        for start, clinic, practitioner_id in chosen
    ]


def _spread(
    found: list[tuple[datetime, Clinic, int]], *, per_day: int
) -> list[tuple[datetime, Clinic, int]]:
    """At most ``per_day`` starts each local day, so the suggestions span several days."""
    taken: dict[object, int] = {}
    spread = []
    for start, clinic, practitioner_id in found:
        day = start.date()
        if taken.get(day, 0) < per_day:
            taken[day] = taken.get(day, 0) + 1
            spread.append((start, clinic, practitioner_id))
    return spread


def bookable_services() -> QuerySet[Service]:
    """Services a person may wait for: active and bookable online, by name."""
    return Service.objects.filter(is_active=True, online_bookable=True).order_by("name")


def open_clinics() -> QuerySet[Clinic]:
    """Clinics taking bookings, by name."""
    return Clinic.objects.filter(is_active=True).order_by("name")


def find_clinic(*, slug: str | None) -> Clinic | None:
    """The open clinic with ``slug``, or None (no slug, or no such clinic)."""
    return open_clinics().filter(slug=slug).first() if slug else None


def find_service(*, slug: str | None) -> Service | None:
    """The service bookable online with ``slug``, or None."""
    return bookable_services().filter(slug=slug).first() if slug else None


def clinic_ids_offering(*, service: Service, clinics: Iterable[Clinic]) -> set[int]:
    """Which of ``clinics`` have an active practitioner who provides ``service``."""
    wanted = {clinic.pk for clinic in clinics}
    offering = Practitioner.objects.filter(
        is_active=True, services=service, clinics__in=wanted
    ).values_list("clinics", flat=True)
    return set(offering) & wanted
