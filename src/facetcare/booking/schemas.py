"""Ninja schemas of the booking API: ``<Thing>In`` / ``<Thing>Out``.

Input types carry their limits (id ranges, lengths, no control characters,
aware datetimes in a sane range) so the OpenAPI document states them and bad
input is refused with a 422 naming the field before any handler runs.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from facetcare.booking.pricing import quote
from facetcare.clinics.models import Clinic, Service
from facetcare.phones import validate_e164

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]


def _invalid(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as is (no "Value error, " prefix)."""
    return PydanticCustomError("invalid", message)


def _aware_in_range(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise _invalid(
            "must include a UTC offset, e.g. 2026-03-02T09:00:00+00:00 or 2026-03-02T09:00:00Z"
        )
    if not 2000 <= value.year <= 2200:
        raise _invalid("must be a date between the years 2000 and 2200")
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise _invalid("Enter a valid email address") from None
    return value


def _phone(value: str) -> str:
    try:
        validate_e164(value)
    except DjangoValidationError as error:
        raise _invalid(error.messages[0]) from None
    return value


def _birth_date(value: date) -> date:
    if not date(1900, 1, 1) <= value <= date.today():  # noqa: DTZ011 - a calendar date, any zone
        raise _invalid("must be a real date of birth, not in the future")
    return value


def _day_in_range(value: date) -> date:
    if not 2000 <= value.year <= 2200:
        raise _invalid("must be a date between the years 2000 and 2200")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware_in_range)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_email)
]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=16), AfterValidator(_phone)
]
BirthDate = Annotated[date, AfterValidator(_birth_date)]


class ErrorOut(Schema):
    error: str
    detail: str
    fields: dict[str, str] | None = None


class ClinicOut(Schema):
    id: int
    name: str
    slug: str
    address: str
    postcode: str
    latitude: float
    longitude: float
    phone: str
    email: str
    time_zone: str
    currency: str

    @classmethod
    def from_model(cls, clinic: Clinic) -> "ClinicOut":
        return cls(
            id=clinic.pk,
            name=clinic.name,
            slug=clinic.slug,
            address=clinic.address,
            postcode=clinic.postcode,
            latitude=float(clinic.latitude),
            longitude=float(clinic.longitude),
            phone=clinic.phone,
            email=clinic.email,
            time_zone=clinic.time_zone,
            currency=clinic.currency,
        )


class ServiceOut(Schema):
    id: int
    name: str
    slug: str
    category: str
    duration_minutes: int
    slot_step_minutes: int
    price: Decimal
    online_price: Decimal
    online_discount_percent: Decimal
    capacity: int
    online_bookable: bool

    @classmethod
    def from_model(cls, service: Service) -> "ServiceOut":
        online = quote(service=service, channel="online", currency="")
        return cls(
            id=service.pk,
            name=service.name,
            slug=service.slug,
            category=service.category,
            duration_minutes=service.duration_minutes,
            slot_step_minutes=service.slot_step_minutes,
            price=service.price,
            online_price=online.payable,
            online_discount_percent=service.online_discount_percent,
            capacity=service.capacity,
            online_bookable=service.online_bookable,
        )


class AvailabilityIn(Schema):
    service: Id
    clinic: Id | None = None
    practitioner: Id | None = None
    from_: Annotated[date, AfterValidator(_day_in_range)] | None = Field(
        None, alias="from", description="First local day, YYYY-MM-DD (default: today)"
    )
    days: int = Field(7, ge=1, le=31)
    near: str | None = Field(
        None,
        max_length=40,
        pattern=r"^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$",
        description="lat,lon: nearest clinics first",
    )
    limit: int = Field(50, ge=1, le=200)


class SlotOut(Schema):
    start: datetime
    end: datetime
    clinic: int
    practitioner: int
    room: int
    places_left: int


class AvailabilityOut(Schema):
    slots: list[SlotOut]


class PatientIn(Schema):
    first_name: Name
    last_name: Name
    date_of_birth: BirthDate
    email: Email
    phone: Phone


class BookingIn(Schema):
    service: Id
    clinic: Id
    practitioner: Id
    start: AwareDatetime
    patient: PatientIn
    channel: Literal["online", "phone", "referral", "staff"] | None = Field(
        None, description="Staff only; online bookings leave it out"
    )


class CancelIn(Schema):
    reason: Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""


class RescheduleIn(Schema):
    start: AwareDatetime
    practitioner: Id | None = None


class BookingOut(Schema):
    id: int
    status: str
    start: datetime
    end: datetime
    service: int
    clinic: int
    practitioner: int
    room: int
    price: Decimal = Field(description="Payable: list price less any online discount")
    discount: Decimal
    currency: str
    rescheduled_from: int | None
    manage_token: str | None = Field(
        None, description="Returned when a booking is made; keep it to view, cancel or move it"
    )
