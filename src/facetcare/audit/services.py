"""Writes to the audit trail. Clinical services call these inside their own transaction."""

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
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
