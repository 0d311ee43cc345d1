"""Reads of the clinic directory."""

from django.db.models import QuerySet

from facetcare.clinics.models import Clinic, Service


def list_clinics() -> QuerySet[Clinic]:
    return Clinic.objects.filter(is_active=True).order_by("name")


def list_services(*, public_only: bool = False) -> QuerySet[Service]:
    services = Service.objects.filter(is_active=True)
    if public_only:
        services = services.filter(online_bookable=True)
    return services.order_by("name")
