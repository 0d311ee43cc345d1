"""Reads of the clinic directory."""

from django.db.models import QuerySet

from facetcare.clinics.models import Clinic, Practitioner, Service


def list_clinics() -> QuerySet[Clinic]:
    return Clinic.objects.filter(is_active=True).order_by("name")


def list_services(*, public_only: bool = False) -> QuerySet[Service]:
    services = Service.objects.filter(is_active=True)
    if public_only:
        services = services.filter(online_bookable=True)
    return services.order_by("name")


def get_clinic(*, clinic_id: int) -> Clinic | None:
    """An active clinic, or None."""
    return Clinic.objects.filter(pk=clinic_id, is_active=True).first()


def get_service(*, service_id: int, include_staff_only: bool) -> Service | None:
    """An active service, or None; staff-only services only when ``include_staff_only``."""
    services = list_services(public_only=not include_staff_only)
    return services.filter(pk=service_id).first()


def get_practitioner(*, practitioner_id: int) -> Practitioner | None:
    """An active practitioner, or None."""
    return Practitioner.objects.filter(pk=practitioner_id, is_active=True).first()
