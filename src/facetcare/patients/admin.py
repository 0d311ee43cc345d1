"""Admin for patients and their consents: look-up only.

A patient's record is versioned and every read of it is logged; edits go
through the patient record pages, which keep the earlier version. The admin
lets staff find a record without becoming a way around that.
"""

from django.contrib import admin
from django.http import HttpRequest

from facetcare.patients.models import Consent, Patient


class ConsentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Consent
    extra = 0
    fields = ["kind", "given", "recorded_at", "recorded_by", "note"]
    readonly_fields = ["kind", "given", "recorded_at", "recorded_by", "note"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Patient)
class PatientAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "email", "phone", "funding_source"]
    list_filter = ["funding_source", "sex"]
    search_fields = ["last_name", "first_name", "email", "phone", "=nhs_number", "=mrn"]
    date_hierarchy = "created_at"
    inlines = [ConsentInline]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["patient", "kind", "given", "recorded_at", "recorded_by"]
    list_filter = ["kind", "given"]
    search_fields = ["patient__last_name", "patient__email"]
    list_select_related = ["patient", "recorded_by"]
