"""Waitlist writes: join, leave, offer a freed slot to those first in line, accept an offer.

How offers work. When a booking is cancelled or moved, its old slot is offered
(``offer_freed_slot``, queued by the booking service after commit) to the
first ``OFFER_BATCH`` (3) people waiting for that service at that clinic whose
chosen weekdays and parts of the day it suits, first joined first. They are
emailed at once, each with a signed link; the first to accept books the slot
through ``book_appointment`` and leaves the list, and anyone accepting after
that is told it has gone. Offering to a few at once fills a gap while it is
still worth filling; offering in order keeps it fair.

An offer lasts ``OFFER_VALID_FOR`` (12 hours) or until the slot can no longer
be booked online (its start less the service's minimum notice), whichever is
sooner. When every offer of a slot has lapsed unanswered and the slot is still
free, the worker's sweep (``sweep_offers``) offers it to the next three in
line. Someone who lets an offer lapse keeps their place for the next slot.
Reception can also offer a free time to one person by hand (``offer_slot``).
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from facetcare.booking.models import Appointment
from facetcare.booking.services import book_appointment
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.errors import Conflict, DomainError, InvalidInput, SlotTaken
from facetcare.patients.services import PatientDetails
from facetcare.waitlist import selectors
from facetcare.waitlist.matching import PARTS_OF_DAY
from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer
from facetcare.waitlist.notifications import queue_offer_email
from facetcare.waitlist.selectors import FreeSlot

OFFER_BATCH = 3
OFFER_VALID_FOR = timedelta(hours=12)
_OLDEST_AGE_YEARS = 130

# Offer states after which a slot is no longer the waitlist's to offer.
_SLOT_SETTLED = (
    WaitlistOffer.Status.PENDING,
    WaitlistOffer.Status.ACCEPTED,
    WaitlistOffer.Status.TAKEN,
)


class OfferGone(Conflict):
    """Someone else accepted first, or the time was booked or can no longer be booked."""

    code = "offer_gone"


class OfferExpired(DomainError):
    code = "offer_expired"
    http_status = 410


def join_waitlist(
    *,
    details: PatientDetails,
    service: Service,
    clinics: Sequence[Clinic],
    weekdays: Sequence[int],
    parts_of_day: Sequence[str],
    consent: bool,
    now: datetime,
) -> WaitlistEntry:
    """Put a person on the waiting list for ``service`` at ``clinics``.

    Raises InvalidInput naming the field: a service not bookable online, no
    clinic or one that does not offer the service, no weekday or part of the
    day, no consent to be emailed, a bad name, birth date, email or phone, or
    the same person already waiting for the same service.
    """
    _check_choices(service, clinics, weekdays, parts_of_day, consent)
    _check_birth_date(details.date_of_birth, now.date())
    entry = WaitlistEntry(
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        email=details.email.strip(),
        phone=details.phone.strip(),
        service=service,
        weekdays=sorted(set(weekdays)),
        parts_of_day=[part for part in PARTS_OF_DAY if part in set(parts_of_day)],
        consent_to_contact=True,
        joined_at=now,
    )
    try:
        entry.full_clean(exclude=["clinics"], validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(messages[0], field=field) from None
    with transaction.atomic():
        if _already_waiting(entry):
            raise InvalidInput(
                f"You are already on the waiting list for {service.name}; we will email "
                f"{entry.email} when a time comes up",
                field="service",
            )
        entry.save()
        entry.clinics.set(clinics)
    return entry


def remove_entry(
    *, entry: WaitlistEntry, by_user: Any, reason: str, now: datetime
) -> WaitlistEntry:
    """Take a waiting entry off the list (reception); its open offers are withdrawn.

    Raises Conflict if it has already left the list.
    """
    with transaction.atomic():
        current = WaitlistEntry.objects.select_for_update().filter(pk=entry.pk).first()
        if current is None or current.status != WaitlistEntry.Status.WAITING:
            raise Conflict("This person has already left the waiting list")
        current.status = WaitlistEntry.Status.REMOVED
        current.left_at = now
        current.removed_by = by_user if getattr(by_user, "pk", None) else None
        current.removal_reason = reason.strip()[:200]
        current.save(update_fields=["status", "left_at", "removed_by", "removal_reason"])
        current.offers.filter(status=WaitlistOffer.Status.PENDING).update(
            status=WaitlistOffer.Status.WITHDRAWN, answered_at=now
        )
    return current


def offer_freed_slot(*, appointment_id: int, now: datetime) -> list[WaitlistOffer]:
    """Offer the slot a cancelled (or moved) appointment left to the first in line.

    Nothing happens if the appointment is still live, or its slot cannot be
    offered (see ``offer_to_next_in_line``).
    """
    freed = (
        Appointment.objects.select_related("service", "clinic", "practitioner")
        .filter(pk=appointment_id, status=Appointment.Status.CANCELLED)
        .first()
    )
    if freed is None:
        return []
    slot = FreeSlot(freed.service, freed.clinic, freed.practitioner, freed.start)
    return offer_to_next_in_line(slot=slot, now=now, freed_by=freed)


def offer_to_next_in_line(
    *, slot: FreeSlot, now: datetime, freed_by: Appointment | None = None
) -> list[WaitlistOffer]:
    """Offer ``slot`` to the next ``OFFER_BATCH`` waiting entries it suits; the offers.

    None are made while an offer of the slot is open or has been accepted, when
    it is too late to book it online, when nobody it suits is waiting, or when
    it is not free. Each offer is emailed after commit.
    """
    deadline = _booking_deadline(slot)
    if deadline <= now:
        return []
    try:
        with transaction.atomic():
            settled = WaitlistOffer.objects.filter(
                clinic=slot.clinic,
                practitioner=slot.practitioner,
                start=slot.start,
                status__in=_SLOT_SETTLED,
            )
            if settled.exists():
                return []
            entries = selectors.next_in_line(slot, limit=OFFER_BATCH)
            if not entries or not selectors.slot_is_free(slot, now=now):
                return []
            return [
                _make_offer(entry, slot, now=now, deadline=deadline, freed_by=freed_by)
                for entry in entries
            ]
    except IntegrityError:
        # Another sweep offered this slot to the same people a moment ago.
        return []


def offer_slot(
    *, entry: WaitlistEntry, slot: FreeSlot, by_user: Any, now: datetime
) -> WaitlistOffer:
    """Reception offers one free time to one waiting person; it is emailed after commit.

    Raises Conflict if the entry is no longer waiting or was already offered this
    time, InvalidInput if the clinic is not one the person chose or it is too
    late to book, and SlotTaken if the time is not free.
    """
    deadline = _booking_deadline(slot)
    with transaction.atomic():
        current = WaitlistEntry.objects.select_for_update().filter(pk=entry.pk).first()
        if current is None or current.status != WaitlistEntry.Status.WAITING:
            raise Conflict("This person has already left the waiting list")
        if not current.clinics.filter(pk=slot.clinic.pk).exists():
            raise InvalidInput(
                f"{current.full_name} is not waiting at {slot.clinic}", field="clinic"
            )
        if deadline <= now:
            raise InvalidInput("It is too late to offer this time", field="start")
        if current.offers.filter(
            clinic=slot.clinic, practitioner=slot.practitioner, start=slot.start
        ).exists():
            raise Conflict(f"{current.full_name} has already been offered this time")
        if not selectors.slot_is_free(slot, now=now):
            raise SlotTaken("That time is no longer free; choose another")
        return _make_offer(current, slot, now=now, deadline=deadline, offered_by=by_user)


def accept_offer(*, offer_id: int, now: datetime) -> WaitlistOffer:
    """Book the offered time for the person it was offered to; the accepted offer.

    Accepting an offer already accepted returns it again (a second click).
    Raises OfferExpired when it has lapsed, and OfferGone when someone else took
    it first, the person has left the list, or the time can no longer be booked.
    """
    try:
        with transaction.atomic():
            offer = _lock_offer(offer_id)
            if offer.status == WaitlistOffer.Status.ACCEPTED:
                return offer
            check_offer_open(offer, now)
            result = book_appointment(
                service=offer.service,
                clinic=offer.clinic,
                practitioner=offer.practitioner,
                start=offer.start,
                channel=Appointment.Channel.ONLINE,
                patient_details=_details(offer.entry),
                now=now,
            )
            _record_acceptance(offer, result.appointment, now)
            return offer
    except OfferExpired:
        _close_offer(offer_id, WaitlistOffer.Status.EXPIRED, now)
        raise
    except (SlotTaken, InvalidInput) as refused:
        _close_offer(offer_id, WaitlistOffer.Status.TAKEN, now)
        raise OfferGone(
            "Sorry, this time has gone: it was booked before you accepted. "
            "You are still on the waiting list, and we will email you about the next one."
        ) from refused


def sweep_offers(*, now: datetime) -> int:
    """Close lapsed offers, and offer each slot whose offers all lapsed to the next
    in line; the number of new offers. Run every minute by the worker."""
    WaitlistOffer.objects.filter(status=WaitlistOffer.Status.PENDING, expires_at__lte=now).update(
        status=WaitlistOffer.Status.EXPIRED
    )
    lapsed = (
        WaitlistOffer.objects.filter(
            status=WaitlistOffer.Status.EXPIRED, offered_by__isnull=True, start__gt=now
        )
        .values_list("service", "clinic", "practitioner", "start")
        .distinct()
    )
    keys = list(lapsed)
    if not keys:
        return 0
    services = Service.objects.in_bulk({key[0] for key in keys})
    clinics = Clinic.objects.in_bulk({key[1] for key in keys})
    people = Practitioner.objects.in_bulk({key[2] for key in keys})
    made = 0
    for service_id, clinic_id, practitioner_id, start in keys:
        slot = FreeSlot(services[service_id], clinics[clinic_id], people[practitioner_id], start)
        made += len(offer_to_next_in_line(slot=slot, now=now))
    return made


def _check_choices(
    service: Service,
    clinics: Sequence[Clinic],
    weekdays: Sequence[int],
    parts_of_day: Sequence[str],
    consent: bool,
) -> None:
    if not service.is_active or not service.online_bookable:
        raise InvalidInput(
            f"{service.name} cannot be booked online; please call the clinic", field="service"
        )
    if not clinics:
        raise InvalidInput("Choose at least one clinic", field="clinics")
    offering = selectors.clinic_ids_offering(service=service, clinics=clinics)
    for clinic in clinics:
        if not clinic.is_active or clinic.pk not in offering:
            raise InvalidInput(f"{clinic.name} does not offer {service.name}", field="clinics")
    if not weekdays or not set(weekdays) <= set(range(7)):
        raise InvalidInput("Choose at least one day of the week", field="weekdays")
    if not parts_of_day or not set(parts_of_day) <= set(PARTS_OF_DAY):
        raise InvalidInput("Choose at least one time of day", field="parts_of_day")
    if not consent:
        raise InvalidInput(
            "We can only offer you a time if you agree to be emailed about it", field="consent"
        )


def _check_birth_date(born: date, today: date) -> None:
    if born > today:
        raise InvalidInput("The date of birth cannot be in the future", field="date_of_birth")
    if today.year - born.year > _OLDEST_AGE_YEARS:
        raise InvalidInput("Check the year of the date of birth", field="date_of_birth")


def _already_waiting(entry: WaitlistEntry) -> bool:
    return WaitlistEntry.objects.filter(
        Q(email__iexact=entry.email),
        first_name__iexact=entry.first_name,
        last_name__iexact=entry.last_name,
        date_of_birth=entry.date_of_birth,
        service=entry.service,
        status=WaitlistEntry.Status.WAITING,
    ).exists()


def _booking_deadline(slot: FreeSlot) -> datetime:
    """The last moment the slot can be booked online: its start less the minimum notice."""
    return slot.start - timedelta(minutes=slot.service.min_notice_minutes)


def _make_offer(
    entry: WaitlistEntry,
    slot: FreeSlot,
    *,
    now: datetime,
    deadline: datetime,
    freed_by: Appointment | None = None,
    offered_by: Any = None,
) -> WaitlistOffer:
    offer = WaitlistOffer.objects.create(
        entry=entry,
        service=slot.service,
        clinic=slot.clinic,
        practitioner=slot.practitioner,
        start=slot.start,
        freed_by=freed_by,
        offered_by=offered_by if getattr(offered_by, "pk", None) else None,
        created_at=now,
        expires_at=min(now + OFFER_VALID_FOR, deadline),
    )
    queue_offer_email(offer)
    return offer


def _lock_offer(offer_id: int) -> WaitlistOffer:
    offer = (
        WaitlistOffer.objects.select_for_update(of=("self",))
        .select_related("entry", "service", "clinic", "practitioner")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise OfferGone("This offer no longer exists")
    return offer


def check_offer_open(offer: WaitlistOffer, now: datetime) -> None:
    """Raise OfferGone or OfferExpired unless ``offer`` can still be accepted."""
    if offer.status == WaitlistOffer.Status.TAKEN:
        raise OfferGone(
            "Sorry, this time has gone: someone else accepted it first. "
            "You are still on the waiting list, and we will email you about the next one."
        )
    if offer.status == WaitlistOffer.Status.WITHDRAWN or (
        offer.entry.status != WaitlistEntry.Status.WAITING
    ):
        raise OfferGone("This offer was withdrawn: you are no longer on the waiting list.")
    if offer.status == WaitlistOffer.Status.EXPIRED or offer.expires_at <= now:
        raise OfferExpired(
            "This offer has expired. You are still on the waiting list, and we will "
            "email you about the next time that comes up."
        )


def _details(entry: WaitlistEntry) -> PatientDetails:
    return PatientDetails(
        first_name=entry.first_name,
        last_name=entry.last_name,
        date_of_birth=entry.date_of_birth,
        email=entry.email,
        phone=entry.phone,
    )


def _record_acceptance(offer: WaitlistOffer, appointment: Appointment, now: datetime) -> None:
    offer.status = WaitlistOffer.Status.ACCEPTED
    offer.answered_at = now
    offer.appointment = appointment
    offer.save(update_fields=["status", "answered_at", "appointment"])
    entry = offer.entry
    entry.status = WaitlistEntry.Status.BOOKED
    entry.left_at = now
    entry.appointment = appointment
    entry.save(update_fields=["status", "left_at", "appointment"])
    pending = WaitlistOffer.objects.filter(status=WaitlistOffer.Status.PENDING)
    pending.filter(clinic=offer.clinic, practitioner=offer.practitioner, start=offer.start).update(
        status=WaitlistOffer.Status.TAKEN
    )
    pending.filter(entry=entry).update(status=WaitlistOffer.Status.WITHDRAWN, answered_at=now)


def _close_offer(offer_id: int, status: str, now: datetime) -> None:
    WaitlistOffer.objects.filter(pk=offer_id, status=WaitlistOffer.Status.PENDING).update(
        status=status, answered_at=now
    )
