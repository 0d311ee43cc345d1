"""Admin for the audit trail: read-only and undeletable, like the records it protects."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from facetcare.audit.models import AccessLogEntry, RecordVersion


class AppendOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RecordVersion)
class RecordVersionAdmin(AppendOnlyAdmin):
    list_display = ["content_type", "object_id", "version", "changed_by", "changed_at", "reason"]
    list_filter = ["content_type"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(AppendOnlyAdmin):
    list_display = ["at", "user", "action", "patient", "object_type", "object_id", "path"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "patient__last_name", "path"]
    date_hierarchy = "at"
