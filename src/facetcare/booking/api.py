"""Booking API: clinics, services, availability and bookings.

A booking is reached with its manage token (header ``X-Manage-Token`` or query
``token``) or a staff bearer token. Without either the answer is 401; with a
token that does not fit, the answer is the same 404 an unknown id gets, so ids
cannot be probed for existence.
"""

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.params import HeaderEx, P, QueryEx

from facetcare.booking import schemas, selectors, services
from facetcare.booking.models import Appointment
from facetcare.booking.tokens import is_valid_manage_token
from facetcare.clinics import selectors as clinic_selectors
from facetcare.errors import Forbidden, InvalidInput, NotFound
from facetcare.patients.services import PatientDetails
from facetcare.web.auth import optional_staff_user

router = Router(tags=["booking"])

ERRORS: dict[int, type[schemas.ErrorOut]] = {
    401: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    409: schemas.ErrorOut,
    422: schemas.ErrorOut,
}
ManageTokenHeader = HeaderEx[str | None, P(alias="X-Manage-Token", max_length=128)]
ManageTokenQuery = QueryEx[str | None, P(max_length=128)]
IdempotencyKey = HeaderEx[
    str | None, P(alias="Idempotency-Key", max_length=200, pattern=r"^[\x21-\x7e]+$")
]


@router.get("/clinics", response=list[schemas.ClinicOut])
def list_clinics(request: HttpRequest) -> list[schemas.ClinicOut]:
    return [schemas.ClinicOut.from_model(c) for c in clinic_selectors.list_clinics()]


@router.get("/services", response=list[schemas.ServiceOut])
def list_services(request: HttpRequest) -> list[schemas.ServiceOut]:
    """Services open to online booking; a staff token also sees staff-only ones."""
    public_only = optional_staff_user(request) is None
    services_ = clinic_selectors.list_services(public_only=public_only)
    return [schemas.ServiceOut.from_model(s) for s in services_]


@router.get("/availability", response={200: schemas.AvailabilityOut, 422: schemas.ErrorOut})
def availability(
    request: HttpRequest, filters: Query[schemas.AvailabilityIn]
) -> schemas.AvailabilityOut:
    """Bookable slots, times in each clinic's zone with their UTC offset."""
    staff = optional_staff_user(request) is not None
    service = _required(
        clinic_selectors.get_service(service_id=filters.service, include_staff_only=staff),
        "service",
    )
    clinic = _optional(filters.clinic, clinic_selectors.get_clinic, "clinic")
    practitioner = _optional(
        filters.practitioner, clinic_selectors.get_practitioner, "practitioner"
    )
    slots = selectors.get_local_availability(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        first_day=filters.from_,
        days=filters.days,
        near=_near(filters.near),
        limit=filters.limit,
        now=timezone.now(),
    )
    return schemas.AvailabilityOut(
        slots=[
            schemas.SlotOut(
                start=s.start,
                end=s.end,
                clinic=s.clinic_id,
                practitioner=s.practitioner_id,
                room=s.room_id,
                places_left=s.places_left,
            )
            for s in slots
        ]
    )


@router.post("/bookings", response={201: schemas.BookingOut} | ERRORS)
def create_booking(
    request: HttpRequest,
    payload: schemas.BookingIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[schemas.BookingOut]:
    """Book a slot. Repeating a request with the same Idempotency-Key returns the first result."""
    staff = optional_staff_user(request)
    channel = payload.channel or ("staff" if staff else "online")
    if staff is None and channel != "online":
        raise Forbidden("Only clinic staff can book by phone, referral or on the patient's behalf")
    service, clinic, practitioner = clinic_selectors.get_booking_subjects(
        service_id=payload.service,
        clinic_id=payload.clinic,
        practitioner_id=payload.practitioner,
        include_staff_only=staff is not None,
    )
    result = services.book_appointment(
        service=_required(service, "service"),
        clinic=_required(clinic, "clinic"),
        practitioner=_required(practitioner, "practitioner"),
        start=payload.start,
        patient_details=PatientDetails(**payload.patient.dict()),
        channel=channel,
        idempotency_key=idempotency_key,
        booked_by=staff,
    )
    return Status(201, _booking_out(result.appointment, token=result.manage_token))


@router.get("/bookings/{booking_id}", response={200: schemas.BookingOut} | ERRORS)
def get_booking(
    request: HttpRequest,
    booking_id: int,
    token: ManageTokenQuery = None,
    x_manage_token: ManageTokenHeader = None,
) -> schemas.BookingOut:
    appointment, _ = _authorised_booking(request, booking_id, x_manage_token or token)
    return _booking_out(appointment)


@router.post("/bookings/{booking_id}/cancel", response={200: schemas.BookingOut} | ERRORS)
def cancel_booking(
    request: HttpRequest,
    booking_id: int,
    payload: schemas.CancelIn | None = None,
    token: ManageTokenQuery = None,
    x_manage_token: ManageTokenHeader = None,
) -> schemas.BookingOut:
    appointment, staff = _authorised_booking(request, booking_id, x_manage_token or token)
    cancelled = services.cancel_appointment(
        appointment=appointment, by_user=staff, reason=payload.reason if payload else ""
    )
    return _booking_out(cancelled)


@router.post("/bookings/{booking_id}/reschedule", response={200: schemas.BookingOut} | ERRORS)
def reschedule_booking(
    request: HttpRequest,
    booking_id: int,
    payload: schemas.RescheduleIn,
    token: ManageTokenQuery = None,
    x_manage_token: ManageTokenHeader = None,
) -> schemas.BookingOut:
    """Move a booking; the answer is the new booking, with a new manage token."""
    appointment, staff = _authorised_booking(request, booking_id, x_manage_token or token)
    result = services.reschedule_appointment(
        appointment=appointment,
        new_start=payload.start,
        new_practitioner=_optional(
            payload.practitioner, clinic_selectors.get_practitioner, "practitioner"
        ),
        by_user=staff,
    )
    return _booking_out(result.appointment, token=result.manage_token)


def _authorised_booking(
    request: HttpRequest, booking_id: int, token: str | None
) -> tuple[Appointment, Any]:
    staff = optional_staff_user(request)
    if staff is None and not token:
        raise AuthenticationError()
    if not 1 <= booking_id <= schemas.MAX_ID:
        raise NotFound("No such booking")
    appointment = selectors.get_appointment(appointment_id=booking_id)
    if staff is None and not is_valid_manage_token(appointment, token or ""):
        raise NotFound("No such booking")
    return appointment, staff


def _booking_out(appointment: Appointment, *, token: str | None = None) -> schemas.BookingOut:
    zone = ZoneInfo(appointment.clinic.time_zone)
    return schemas.BookingOut(
        id=appointment.pk,
        status=appointment.status,
        start=appointment.start.astimezone(zone),
        end=appointment.end.astimezone(zone),
        service=appointment.service_id,
        clinic=appointment.clinic_id,
        practitioner=appointment.practitioner_id,
        room=appointment.room_id,
        price=appointment.price - appointment.discount,
        discount=appointment.discount,
        currency=appointment.currency,
        rescheduled_from=appointment.rescheduled_from_id,
        manage_token=token,
    )


def _required[T](found: T | None, field: str) -> T:
    if found is None:
        raise InvalidInput(f"No such {field}", field=field)
    return found


def _optional[T](object_id: int | None, getter: Callable[..., T | None], field: str) -> T | None:
    if object_id is None:
        return None
    return _required(getter(**{f"{field}_id": object_id}), field)


def _near(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    lat, lon = (float(part) for part in value.split(","))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("near must be lat,lon within -90..90 and -180..180", field="near")
    return lat, lon
