"""Ninja schemas of the booking API: ``<Thing>In`` / ``<Thing>Out``."""

from decimal import Decimal

from ninja import Schema

from facetcare.clinics.models import Clinic, Service


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
    price: Decimal
    online_discount_percent: Decimal
    capacity: int
    online_bookable: bool

    @classmethod
    def from_model(cls, service: Service) -> "ServiceOut":
        return cls(
            id=service.pk,
            name=service.name,
            slug=service.slug,
            category=service.category,
            duration_minutes=service.duration_minutes,
            price=service.price,
            online_discount_percent=service.online_discount_percent,
            capacity=service.capacity,
            online_bookable=service.online_bookable,
        )
