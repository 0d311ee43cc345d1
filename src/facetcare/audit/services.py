"""Writes to the audit trail. Clinical services call these inside their own transaction."""

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.context import current_path
from facetcare.audit.models import AccessLogEntry, RecordVersion


def snapshot_of(instance: models.Model) -> dict[str, Any]:
    """The record's concrete field values as JSON-safe data (foreign keys as ids)."""
    values = {
        field.attname: field.value_from_object(instance) for field in instance._meta.concrete_fields
    }
    loaded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return loaded


def record_version(*, instance: models.Model, changed_by: Actor, reason: str = "") -> RecordVersion:
    """Append the next version of ``instance`` (1 for a new record) with who, when and why.

    Call it after saving the record and inside the same transaction, so a record
    never exists without its version.
    """
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    latest = RecordVersion.objects.filter(
        content_type=content_type, object_id=instance.pk
    ).aggregate(latest=Max("version"))["latest"]
    return RecordVersion.objects.create(
        content_type=content_type,
        object_id=instance.pk,
        version=(latest or 0) + 1,
        snapshot=snapshot_of(instance),
        changed_by=authenticated(changed_by),
        changed_at=timezone.now(),
        reason=reason,
    )


def log_access(
    *,
    user: Actor,
    action: str,
    patient_id: int,
    object_type: str,
    object_id: int | None = None,
) -> AccessLogEntry:
    """Record that ``user`` read, created, amended or exported part of a patient's record."""
    return AccessLogEntry.objects.create(
        user=authenticated(user),
        action=AccessLogEntry.Action(action),
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        at=timezone.now(),
        path=current_path(),
    )


# The trigger of migration 0003 lets a DELETE through only while this is "on" in
# the deleting transaction; nothing in the application sets it except below.
DISCARD_SETTING = "facetcare.discard_fictional_access_log"


def discard_fictional_access_log(*, patient_ids: Iterable[int]) -> int:
    """Delete the access-log entries of fictional (demo) patients; the number deleted.

    Only ``facetcare demo --reset`` calls this, for the demo's own made-up
    patients. Every other path to the log is append-only: the ORM refuses and, on
    PostgreSQL, so does the database unless this transaction has said otherwise.
    """
    entries = AccessLogEntry.objects.filter(patient_id__in=list(patient_ids))
    if connection.vendor != "postgresql":
        return entries.discard_fictional()
    with transaction.atomic(), connection.cursor() as cursor:
        # Local to this transaction, and switched off again before it goes on.
        cursor.execute("SELECT set_config(%s, 'on', true)", [DISCARD_SETTING])
        deleted = entries.discard_fictional()
        cursor.execute("SELECT set_config(%s, 'off', true)", [DISCARD_SETTING])
        return deleted
