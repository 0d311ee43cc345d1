"""Admin for the clinical record: read-only, never deletable, with each record's versions.

Clinical records change only through the services, which version every change;
the admin is for looking, so an edit here could not bypass the audit trail.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join

from facetcare.audit.selectors import list_versions
from facetcare.pathway.models import Assessment, Episode, PolicyOverride, ProcedureRecord


class ClinicalRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="versions")
    def history(self, obj: Any) -> str:
        return format_html_join(
            "",
            "<p>v{} by {} at {}: {}</p>",
            (
                (v.version, v.changed_by, f"{v.changed_at:%Y-%m-%d %H:%M} UTC", v.reason)
                for v in list_versions(instance=obj)
            ),
        )


@admin.register(Episode)
class EpisodeAdmin(ClinicalRecordAdmin):
    list_display = ["patient", "region", "side", "state", "policy_pack_id", "opened_at"]
    list_filter = ["state", "region", "referral_source", "policy_pack_id"]
    search_fields = ["patient__last_name", "patient__nhs_number", "patient__mrn"]
    readonly_fields = ["history"]


@admin.register(Assessment)
class AssessmentAdmin(ClinicalRecordAdmin):
    list_display = ["episode", "assessed_by", "assessed_at", "symptom_pattern", "nrs_pain"]
    list_filter = ["symptom_pattern", "red_flags_screened"]
    readonly_fields = ["history"]


@admin.register(ProcedureRecord)
class ProcedureRecordAdmin(ClinicalRecordAdmin):
    list_display = ["episode", "type", "region", "side", "performed_on", "relief_percent"]
    list_filter = ["type", "region", "guidance"]
    readonly_fields = ["history"]


@admin.register(PolicyOverride)
class PolicyOverrideAdmin(ClinicalRecordAdmin):
    list_display = ["episode", "procedure_type", "overridden_decision", "consultant", "created_at"]
    readonly_fields = ["history"]
