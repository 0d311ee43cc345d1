"""Audit trail of the clinical record: every version of every record, every access."""

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class RecordVersion(models.Model):
    """A snapshot of a clinical record as it stood after one create or amendment.

    Version 1 is the record as created; each amendment adds the next number, so
    the earlier content, who changed it and when are never lost.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["content_type", "object_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "version"], name="record_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="record_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} v{self.version}"


class AppendOnly(Exception):
    """An attempt to change or remove an access-log entry: the log is append-only."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    """Entries can be added and read; a bulk update or delete is refused.

    On PostgreSQL a trigger (migration 0003) refuses them in the database too,
    so raw SQL from the application cannot rewrite the log either.
    """

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("The access log is append-only: entries cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnly("The access log is append-only: entries cannot be deleted")

    def discard_fictional(self) -> int:
        """Delete these entries; only for the demo's fictional patients (``demo --reset``).

        Goes through ``audit.services.discard_fictional_access_log``, which also
        lifts the PostgreSQL trigger for its own transaction.
        """
        deleted, _ = models.QuerySet.delete(self)
        return deleted


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        READ = "read", "Read"
        CREATE = "create", "Create"
        AMEND = "amend", "Amend"
        EXPORT = "export", "Export"
        ERASE = "erase", "Erase"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="access_log"
    )
    object_type = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    at = models.DateTimeField()
    path = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["patient", "at"], name="access_patient_at"),
            models.Index(fields=["user", "at"], name="access_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.object_type} #{self.object_id} at {self.at}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("The access log is append-only: entries cannot be changed")
        # An INSERT always: a new instance given an existing id must not become an UPDATE.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("The access log is append-only: entries cannot be deleted")
