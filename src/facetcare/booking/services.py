"""Booking writes: book, cancel and reschedule appointments.

Each is one transaction. A booking locks the practitioner and the clinic's
rooms (``locks``) as it reads the day, asks the pure engine whether the slot is
free, and inserts only if nothing reached the slot meanwhile (``claim_reads``);
the PostgreSQL exclusion constraints refuse whatever a bug might still let
through, and that refusal becomes SlotTaken.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from facetcare import plain_sql
from facetcare.audit.services import record_version
from facetcare.booking import claim_reads, notifications
from facetcare.booking.locks import lock_appointment
from facetcare.booking.models import Appointment
from facetcare.booking.pricing import Quote, quote
from facetcare.booking.roster import Live
from facetcare.booking.selectors import service_spec
from facetcare.booking.tokens import manage_token
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.core.scheduling import slots as engine
from facetcare.core.scheduling.errors import SlotUnavailable
from facetcare.core.scheduling.types import Interval, ServiceSpec
from facetcare.errors import Conflict, Forbidden, InvalidInput, NotFound, SlotTaken
from facetcare.pathway.gates import check_procedure_booking
from facetcare.patients.models import Patient
from facetcare.patients.services import PatientDetails, find_or_create_patient
from facetcare.phones import display_phone
from facetcare.waitlist import events as waitlist_events
from facetcare.web.roles import is_staff_member

# Reasons from the engine that mean "someone else got there first", as opposed
# to a start that could never have been booked.
_TAKEN_REASONS = {"practitioner_busy", "no_room", "class_full"}
_EXCLUSION_VIOLATION = "23P01"
SLOT_TAKEN_DETAIL = "That slot has just been taken; please choose another time."


@dataclass(frozen=True, slots=True)
class BookingResult:
    appointment: Appointment
    manage_token: str
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class _Request:
    service: Service
    clinic: Clinic
    practitioner: Practitioner
    start: datetime
    channel: str
    now: datetime
    booked_by: Any


def book_appointment(
    *,
    service: Service,
    clinic: Clinic,
    practitioner: Practitioner,
    start: datetime,
    patient: Patient | None = None,
    patient_details: PatientDetails | None = None,
    channel: str,
    idempotency_key: str | None = None,
    booked_by: Any = None,
    now: datetime | None = None,
) -> BookingResult:
    """Book ``service`` with ``practitioner`` at ``clinic`` starting at aware ``start``.

    Give either an existing ``patient`` or ``patient_details`` (matched or created
    by ``find_or_create_patient``). With an ``idempotency_key``, repeating the same
    request returns the first result (``replayed=True``); the same key with a
    different request raises InvalidInput. Raises InvalidInput (naming the field)
    for a start that cannot be booked or a practitioner, clinic or channel that
    does not fit the service, and SlotTaken when someone else holds the slot.
    """
    if (patient is None) == (patient_details is None):
        raise ValueError("Give exactly one of patient or patient_details")
    request = _Request(
        service, clinic, practitioner, _aware(start), channel, now or timezone.now(), booked_by
    )
    fingerprint = _fingerprint(request, patient, patient_details)
    if idempotency_key and (replay := _replay(idempotency_key, fingerprint)):
        return replay
    try:
        with transaction.atomic():
            day = _practitioner_day(request)
            _check_offer(request, day, online_rule=True)
            booked_for = _patient(patient, patient_details)
            _check_policy(request, booked_for)
            spec = service_spec(service)
            slot = _claim_slot(request, spec, day)
            appointment = _create(
                request,
                spec,
                slot,
                patient=booked_for,
                pricing=quote(service=service, channel=channel, currency=clinic.currency),
                idempotency_key=idempotency_key or None,
                fingerprint=fingerprint,
            )
            notifications.queue_booking_confirmation(appointment)
    except IntegrityError as error:
        if idempotency_key and (replay := _replay(idempotency_key, fingerprint)):
            return replay
        if not _lost_the_race(error):
            raise
        raise SlotTaken(SLOT_TAKEN_DETAIL) from error
    return BookingResult(appointment, manage_token(appointment))


def cancel_appointment(
    *, appointment: Appointment, by_user: Any = None, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Cancel a booked appointment that has not started, freeing its slot.

    Raises Conflict if it is no longer booked and InvalidInput once it has started.
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock_changeable(appointment, now, by_patient=by_user is None)
        current.status = Appointment.Status.CANCELLED
        current.cancelled_at = now
        current.cancellation_reason = (
            reason or ("Cancelled by the clinic" if by_user else "Cancelled by the patient")
        )[:200]
        current.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
        notifications.queue_cancellation_notice(current)
        waitlist_events.queue_slot_freed(current)
    return current


def reschedule_appointment(
    *,
    appointment: Appointment,
    new_start: datetime,
    new_practitioner: Practitioner | None = None,
    by_user: Any = None,
    now: datetime | None = None,
) -> BookingResult:
    """Move a booked appointment to ``new_start`` (and optionally another practitioner).

    In one transaction the original is cancelled as rescheduled and a new booking,
    linked by ``rescheduled_from``, takes the new slot at the original price. If
    the new slot cannot be had, everything rolls back and the original stands.
    """
    now = now or timezone.now()
    new_start = _aware(new_start)
    try:
        with transaction.atomic():
            old = _lock_changeable(appointment, now, by_patient=by_user is None)
            old.status = Appointment.Status.CANCELLED
            old.cancelled_at = now
            old.cancellation_reason = "Rescheduled"
            old.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
            request = _Request(
                old.service,
                old.clinic,
                new_practitioner or old.practitioner,
                new_start,
                old.channel,
                now,
                by_user or old.booked_by,
            )
            day = _practitioner_day(request)
            _check_offer(request, day, online_rule=False)
            _check_policy(request, old.patient)
            spec = service_spec(old.service)
            slot = _claim_slot(request, spec, day)
            pricing = Quote(old.price, old.discount, old.currency)
            new = _create(
                request, spec, slot, patient=old.patient, pricing=pricing, rescheduled_from=old
            )
            notifications.queue_booking_confirmation(new)
            waitlist_events.queue_slot_freed(old)
    except IntegrityError as error:
        if not _lost_the_race(error):
            raise
        raise SlotTaken(SLOT_TAKEN_DETAIL) from error
    return BookingResult(new, manage_token(new))


def _patient(patient: Patient | None, details: PatientDetails | None) -> Patient:
    if patient is not None:
        return patient
    assert details is not None  # book_appointment checked exactly one was given
    return find_or_create_patient(details=details)


def _aware(start: datetime) -> datetime:
    if start.tzinfo is None or start.utcoffset() is None:
        raise InvalidInput(
            "The start time needs a UTC offset, e.g. 2026-03-02T09:00:00+00:00", field="start"
        )
    return start


def _practitioner_day(request: _Request) -> claim_reads.PractitionerDay:
    """The directory slice of the request's day and what is live in the slot's occupied
    span, read as the practitioner's and the clinic's rooms' locks are taken (the
    claim checks the live part again under them)."""
    local_day = request.start.astimezone(ZoneInfo(request.clinic.time_zone)).date()
    return claim_reads.lock_day(
        service=request.service,
        clinic=request.clinic,
        practitioner_id=request.practitioner.pk,
        local_day=local_day,
        window=_occupied(request, service_spec(request.service)),
    )


def _occupied(request: _Request, spec: ServiceSpec) -> Interval:
    start = request.start
    return Interval(start - spec.buffer_before, start + spec.duration + spec.buffer_after)


def _check_offer(request: _Request, day: claim_reads.PractitionerDay, *, online_rule: bool) -> None:
    """The service, clinic and practitioner must fit together; say which does not."""
    service, clinic, practitioner = request.service, request.clinic, request.practitioner
    if not service.is_active:
        raise InvalidInput("This service is no longer offered", field="service")
    if (
        online_rule
        and request.channel == Appointment.Channel.ONLINE
        and not service.online_bookable
    ):
        raise InvalidInput(
            "This service cannot be booked online; please contact the clinic", field="service"
        )
    if not clinic.is_active:
        raise InvalidInput("This clinic is not taking bookings", field="clinic")
    if not practitioner.is_active or practitioner.profession != service.required_profession:
        raise InvalidInput(
            f"{practitioner.display_name} does not provide {service.name}", field="practitioner"
        )
    if not day.offers_service:
        raise InvalidInput(
            f"{practitioner.display_name} does not provide {service.name}", field="practitioner"
        )
    if not day.listed_at_clinic:
        raise InvalidInput(
            f"{practitioner.display_name} does not work at {clinic.name}", field="practitioner"
        )


def _check_policy(request: _Request, patient: Patient) -> None:
    """A procedure is booked only when the patient's clinical policy allows it on that
    date, or a consultant has overridden the decision with a reason (PolicyRefused).

    Rescheduling re-checks too: moving an injection changes what its rolling
    windows count. The gate dates the request in the clinic's zone.
    """
    check_procedure_booking(
        patient=patient,
        service=request.service,
        start=request.start,
        acting_user=request.booked_by or AnonymousUser(),
        clinic=request.clinic,
    )


def _claim_slot(
    request: _Request,
    spec: ServiceSpec,
    day: claim_reads.PractitionerDay,
    live: Live | None = None,
) -> claim_reads.Claim:
    """Check the slot against ``live`` (by default what the day's read saw, which may
    predate the locks) and say what that decision rests on; ``_create`` claims it."""
    live = day.live if live is None else live
    site = day.roster.sites(live, [request.clinic.pk])[0]
    schedule = next(p for p in site.practitioners if p.practitioner_id == request.practitioner.pk)
    try:
        slot = engine.check_slot(
            service=spec,
            site=site,
            practitioner=schedule,
            start=request.start,
            now=request.now,
        )
    except SlotUnavailable as unavailable:
        if unavailable.reason == "class_full":
            raise SlotTaken("That class is full; please choose another session.") from None
        if unavailable.reason in _TAKEN_REASONS:
            raise SlotTaken(SLOT_TAKEN_DETAIL) from None
        raise InvalidInput(unavailable.detail, field="start") from None
    if request.service.is_class:
        key = f"class:{request.service.pk}:{request.practitioner.pk}:{slot.start.isoformat()}"
    else:
        # Unique, so the exclusion constraint lets nothing share its time.
        key = f"appt:{uuid.uuid4().hex}"
    taken = sum(1 for booking in live.bookings if booking.session_key == key)
    occupied = Interval(slot.start - spec.buffer_before, slot.end + spec.buffer_after)
    return claim_reads.Claim(slot, day, occupied, key, taken)


def _create(
    request: _Request,
    spec: ServiceSpec,
    claim: claim_reads.Claim,
    *,
    patient: Patient,
    pricing: Quote,
    idempotency_key: str | None = None,
    fingerprint: str = "",
    rescheduled_from: Appointment | None = None,
) -> Appointment:
    """Insert the claimed slot; if another booking reached it before the locks were
    granted, read again under them and decide again (SlotTaken when it is gone,
    another room when one is free)."""
    slot = claim.slot
    appointment = Appointment(
        patient=patient,
        service=request.service,
        clinic=request.clinic,
        practitioner=request.practitioner,
        room_id=slot.room_id,
        start=slot.start,
        end=slot.end,
        occupied_start=claim.occupied.start,
        occupied_end=claim.occupied.end,
        session_key=claim.session_key,
        channel=request.channel,
        price=pricing.price,
        discount=pricing.discount,
        currency=pricing.currency,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
        rescheduled_from=rescheduled_from,
        booked_by=request.booked_by if getattr(request.booked_by, "pk", None) else None,
    )
    if claim_reads.insert_claimed(appointment, claim):
        return appointment
    # The locks are held, so this read and decision stand until the transaction ends.
    again = _claim_slot(request, spec, claim.day, claim_reads.read_live_again(claim))
    appointment.room_id = again.slot.room_id
    plain_sql.insert(appointment)
    return appointment


def _lock_changeable(appointment: Appointment, now: datetime, *, by_patient: bool) -> Appointment:
    """The booking, locked, if it may still change: booked and not started; for the
    patient themselves (a manage link, no staff user), not inside the service's
    minimum notice either, which only the clinic may override."""
    current = lock_appointment(appointment_id=appointment.pk)
    if current is None or current.status != Appointment.Status.BOOKED:
        raise Conflict("This booking is no longer active, so it cannot be changed")
    if current.start <= now:
        raise InvalidInput("This appointment has already started", field="start")
    if by_patient:
        notice = timedelta(minutes=current.service.min_notice_minutes)
        if now > current.start - notice:
            raise InvalidInput(
                f"It is too late to change this booking online; please call "
                f"{current.clinic.name} on "
                f"{display_phone(current.clinic.phone, current.clinic.locale)}",
                field="start",
                code="too_late_to_change",
            )
    return current


def _fingerprint(request: _Request, patient: Patient | None, details: PatientDetails | None) -> str:
    body = {
        "service": request.service.pk,
        "clinic": request.clinic.pk,
        "practitioner": request.practitioner.pk,
        "start": request.start.astimezone(ZoneInfo("UTC")).isoformat(),
        "channel": request.channel,
        "patient": patient.pk if patient is not None else _details_dict(details),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _details_dict(details: PatientDetails | None) -> dict[str, str]:
    if details is None:
        return {}
    return {
        "first_name": details.first_name,
        "last_name": details.last_name,
        "date_of_birth": details.date_of_birth.isoformat(),
        "email": details.email,
        "phone": details.phone,
    }


def _replay(key: str, fingerprint: str) -> BookingResult | None:
    first = Appointment.objects.filter(idempotency_key=key).first()
    if first is None:
        return None
    if first.request_fingerprint != fingerprint:
        raise InvalidInput(
            "This Idempotency-Key was already used for a different booking request; "
            "use a new key for a new booking",
            field="idempotency_key",
            code="idempotency_key_reused",
        )
    return BookingResult(first, manage_token(first), replayed=True)


def _lost_the_race(error: IntegrityError) -> bool:
    """Whether an exclusion constraint refused the row (a lost race, not a bug)."""
    return getattr(error.__cause__, "sqlstate", None) == _EXCLUSION_VIOLATION


# Attendance: which status each mark may follow. "Arrived" may follow a no-show
# too, for a patient who turns up late after being marked absent.
ATTENDANCE_FROM: dict[str, frozenset[str]] = {
    Appointment.Status.ARRIVED: frozenset({Appointment.Status.BOOKED, Appointment.Status.NO_SHOW}),
    Appointment.Status.COMPLETED: frozenset(
        {Appointment.Status.BOOKED, Appointment.Status.ARRIVED}
    ),
    Appointment.Status.NO_SHOW: frozenset({Appointment.Status.BOOKED}),
}


def record_attendance(
    *, appointment: Appointment, status: str, by_user: Any, now: datetime | None = None
) -> Appointment:
    """Mark ``appointment`` arrived, completed or no-show, recording who did it and when.

    The mark must follow the booking's current status (``ATTENDANCE_FROM``: a
    cancelled booking takes none, a completed one no other) and its time: arrived
    from the appointment's local day on, completed or no-show once it has
    started. Raises Forbidden unless ``by_user`` is clinic staff, InvalidInput
    (field ``status``) for an unknown mark or one made too early, Conflict when
    the current status does not lead to it, NotFound if the booking is gone.
    """
    now = now or timezone.now()
    if status not in ATTENDANCE_FROM:
        raise InvalidInput("Choose arrived, completed or no-show", field="status")
    if not is_staff_member(by_user):
        raise Forbidden("Only clinic staff record attendance")
    with transaction.atomic():
        current = lock_appointment(appointment_id=appointment.pk)
        if current is None:
            raise NotFound("No such booking")
        problem = attendance_problem(current, status, now)
        if problem is not None:
            raise problem
        current.status = status
        current.save(update_fields=["status"])
        label = Appointment.Status(status).label.lower()
        record_version(instance=current, changed_by=by_user, reason=f"Marked {label}")
    return current


def attendance_problem(
    appointment: Appointment, status: str, now: datetime
) -> InvalidInput | Conflict | None:
    """Why ``appointment`` cannot be marked ``status`` at ``now``, or None if it can: the
    one rule the marks and the pages offering them share (see ``record_attendance``)."""
    allowed_from = ATTENDANCE_FROM.get(status)
    if allowed_from is None:
        return InvalidInput("Choose arrived, completed or no-show", field="status")
    label = Appointment.Status(status).label.lower()
    if appointment.status not in allowed_from:
        return Conflict(
            f"This booking is {appointment.get_status_display().lower()}, "
            f"so it cannot be marked {label}"
        )
    zone = ZoneInfo(appointment.clinic.time_zone)
    if status == Appointment.Status.ARRIVED:
        if now.astimezone(zone).date() < appointment.start.astimezone(zone).date():
            return InvalidInput(
                "A patient can be marked arrived on the day of the appointment, not before",
                field="status",
            )
    elif now < appointment.start:
        return InvalidInput(
            f"An appointment can be marked {label} once it has started, not before",
            field="status",
        )
    return None


def mark_arrived(
    *, appointment: Appointment, by_user: Any, now: datetime | None = None
) -> Appointment:
    """The patient is here (see ``record_attendance``)."""
    return record_attendance(
        appointment=appointment, status=Appointment.Status.ARRIVED, by_user=by_user, now=now
    )


def mark_completed(
    *, appointment: Appointment, by_user: Any, now: datetime | None = None
) -> Appointment:
    """The appointment took place (see ``record_attendance``)."""
    return record_attendance(
        appointment=appointment, status=Appointment.Status.COMPLETED, by_user=by_user, now=now
    )


def mark_no_show(
    *, appointment: Appointment, by_user: Any, now: datetime | None = None
) -> Appointment:
    """The patient did not come (see ``record_attendance``)."""
    return record_attendance(
        appointment=appointment, status=Appointment.Status.NO_SHOW, by_user=by_user, now=now
    )
