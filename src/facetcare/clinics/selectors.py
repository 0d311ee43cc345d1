"""Reads of the clinic directory."""

import functools
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet

from facetcare import plain_sql
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


@functools.cache
def _loaded_fields(model: type[models.Model]) -> tuple[str, ...]:
    # Date-times are left deferred: plain_sql cannot load them (see instance_from_row).
    return tuple(
        f.attname for f in model._meta.concrete_fields if not isinstance(f, models.DateTimeField)
    )


_SUBJECTS = ((Service, "s"), (Clinic, "c"), (Practitioner, "p"))


@functools.cache
def _subjects_sql(vendor: str) -> str:
    """A one-row base left-joined to each, so a missing one is a row of NULLs (built
    once per database vendor)."""
    quote = connection.ops.quote_name
    selected = ", ".join(
        plain_sql.columns(alias, _loaded_fields(model), model) for model, alias in _SUBJECTS
    )
    tables = {alias: quote(model._meta.db_table) for model, alias in _SUBJECTS}
    # Only quoted names and placeholders are put into the text.
    return (
        f"SELECT {selected} FROM (SELECT 1 AS one) base "  # noqa: S608
        f"LEFT JOIN {tables['s']} s ON s.id = %s AND s.is_active = %s "
        "AND (s.online_bookable = %s OR %s) "
        f"LEFT JOIN {tables['c']} c ON c.id = %s AND c.is_active = %s "
        f"LEFT JOIN {tables['p']} p ON p.id = %s AND p.is_active = %s"
    )


def get_booking_subjects(
    *, service_id: int, clinic_id: int, practitioner_id: int, include_staff_only: bool
) -> tuple[Service | None, Clinic | None, Practitioner | None]:
    """The active service, clinic and practitioner a booking names, each None if there
    is no such active one, in one query (see ``get_service`` for ``include_staff_only``)."""
    params = [service_id, True, True, include_staff_only, clinic_id, True, practitioner_id, True]
    ((row,),) = plain_sql.fetch_each([(_subjects_sql(connection.vendor), params)])
    found: list[Any] = []
    offset = 0
    for model, _ in _SUBJECTS:
        names = _loaded_fields(model)
        values = row[offset : offset + len(names)]
        offset += len(names)
        missing = values[0] is None
        found.append(None if missing else plain_sql.instance_from_row(model, names, values))
    return found[0], found[1], found[2]
