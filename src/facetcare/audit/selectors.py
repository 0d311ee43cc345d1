"""Reads of the audit trail: a record's versions and the managers' access-log search."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from facetcare.audit.actors import Actor
from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.errors import Forbidden, InvalidInput
from facetcare.web.roles import Role, has_role


def list_versions(*, instance: models.Model) -> QuerySet[RecordVersion]:
    """Every version of one record, oldest first. Callers check access to the record."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    return RecordVersion.objects.filter(
        content_type=content_type, object_id=instance.pk
    ).select_related("changed_by")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def search_access_log(
    *,
    acting_user: Actor,
    user_id: int | None = None,
    patient_id: int | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AccessLogEntry]:
    """Access-log entries matching every filter given, newest first; managers only.

    ``date_from`` and ``date_to`` are inclusive days in the current time zone.
    """
    if not has_role(acting_user, Role.MANAGER):
        raise Forbidden("Only a clinic manager may search the access log")
    entries = AccessLogEntry.objects.select_related("user", "patient")
    if user_id is not None:
        entries = entries.filter(user_id=user_id)
    if patient_id is not None:
        entries = entries.filter(patient_id=patient_id)
    if action:
        if action not in AccessLogEntry.Action.values:
            raise InvalidInput(f"Unknown action {action!r}", field="action")
        entries = entries.filter(action=action)
    if date_from and date_to and date_to < date_from:
        raise InvalidInput("The end date is before the start date", field="date_to")
    if date_from:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    return entries


def iter_access_log_for_export(
    *,
    acting_user: Actor,
    user_id: int | None = None,
    patient_id: int | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Iterator[AccessLogEntry]:
    """The entries ``search_access_log`` finds, oldest first, fetched in chunks; managers only.

    Checks and filters run before the first entry is asked for, so a refusal is
    raised here and not halfway through a streamed download. Times are UTC.
    """
    entries = search_access_log(
        acting_user=acting_user,
        user_id=user_id,
        patient_id=patient_id,
        action=action,
        date_from=date_from,
        date_to=date_to,
    ).order_by("at", "id")
    return entries.iterator(chunk_size=2000)
