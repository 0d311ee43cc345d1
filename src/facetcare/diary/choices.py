"""What the diary's forms offer: the services a practitioner can give at a clinic, their
free starts on a day, where a booking could move to, and who can be chosen."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from facetcare.booking.models import Appointment
from facetcare.booking.selectors import LocalSlot, get_local_availability
from facetcare.clinics.models import Clinic, Practitioner, Room, Service
from facetcare.diary.selectors import name_key

# How many bookable starts a form lists at most: a long day in five-minute steps.
MAX_STARTS = 300


def list_bookable_services(*, clinic: Clinic, practitioner: Practitioner) -> list[Service]:
    """The active services ``practitioner`` provides that ``clinic`` has a room for: two
    queries."""
    rooms = [
        frozenset(equipment or ())
        for equipment in Room.objects.filter(clinic=clinic, is_active=True).values_list(
            "equipment", flat=True
        )
    ]
    services = practitioner.services.filter(
        is_active=True, required_profession=practitioner.profession
    ).order_by("name")
    return [
        service
        for service in services
        if any(frozenset(service.required_equipment or ()) <= room for room in rooms)
    ]


def list_free_starts(
    *, service: Service, clinic: Clinic, practitioner: Practitioner, day: date, now: datetime
) -> list[LocalSlot]:
    """The starts ``practitioner`` can take ``service`` at ``clinic`` on local ``day``."""
    return get_local_availability(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        first_day=day,
        days=1,
        limit=MAX_STARTS,
        now=now,
    )


@dataclass(frozen=True)
class MoveChoices:
    """Free starts for an appointment's service on one day, by practitioner."""

    day: date
    by_practitioner: list[tuple[Practitioner, list[LocalSlot]]]


def list_move_choices(*, appointment: Appointment, day: date, now: datetime) -> MoveChoices:
    """Where ``appointment`` could move to on local ``day`` at its clinic: every free start
    of its service, with any practitioner who provides it there."""
    slots = get_local_availability(
        service=appointment.service,
        clinic=appointment.clinic,
        first_day=day,
        days=1,
        limit=MAX_STARTS,
        now=now,
    )
    practitioners = Practitioner.objects.in_bulk({slot.practitioner_id for slot in slots})
    grouped: dict[int, list[LocalSlot]] = defaultdict(list)
    for slot in slots:
        grouped[slot.practitioner_id].append(slot)
    ordered = sorted(grouped, key=lambda pid: name_key(practitioners[pid]))
    return MoveChoices(day, [(practitioners[pid], grouped[pid]) for pid in ordered])


def get_practitioner_for(*, user: AbstractBaseUser | AnonymousUser) -> Practitioner | None:
    """The practitioner record a signed-in clinician is, if any."""
    if not user.is_authenticated:
        return None
    return Practitioner.objects.filter(user_id=user.pk, is_active=True).first()


def get_home_clinic(*, practitioner: Practitioner) -> Clinic | None:
    """The practitioner's first clinic by name, whose day and locale their list follows."""
    return practitioner.clinics.order_by("name").first()


def list_practitioners() -> list[Practitioner]:
    """Active practitioners by surname, for the practitioner list's chooser: one query."""
    return list(Practitioner.objects.filter(is_active=True).order_by("last_name", "first_name"))
