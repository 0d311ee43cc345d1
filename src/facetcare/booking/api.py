"""Booking API: clinics, services, availability and bookings."""

from django.http import HttpRequest
from ninja import Router

from facetcare.booking import schemas
from facetcare.clinics import selectors as clinic_selectors

router = Router(tags=["booking"])


@router.get("/clinics", response=list[schemas.ClinicOut])
def list_clinics(request: HttpRequest) -> list[schemas.ClinicOut]:
    return [schemas.ClinicOut.from_model(c) for c in clinic_selectors.list_clinics()]


@router.get("/services", response=list[schemas.ServiceOut])
def list_services(request: HttpRequest) -> list[schemas.ServiceOut]:
    return [schemas.ServiceOut.from_model(s) for s in clinic_selectors.list_services()]
