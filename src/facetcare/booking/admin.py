"""Admin for appointments: a searchable, filterable view of every booking.

Appointments are read-only here. Booking, moving and cancelling go through the
booking services, which lock, re-check availability and notify the patient; an
admin form saving rows directly would skip all three. Cancelling is offered as
an action that calls the service.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from facetcare.booking.models import Appointment, Reminder
from facetcare.booking.services import cancel_appointment
from facetcare.errors import DomainError


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "start",
        "clinic",
        "service",
        "practitioner",
        "room",
        "patient",
        "status",
        "channel",
        "price",
    ]
    list_filter = ["status", "channel", "clinic", "service__category"]
    search_fields = [
        "=id",
        "patient__last_name",
        "patient__email",
        "practitioner__last_name",
        "service__name",
    ]
    date_hierarchy = "start"
    list_select_related = ["clinic", "service", "practitioner", "room", "patient"]
    show_full_result_count = False
    actions = ["cancel_selected"]
    exclude = ["manage_secret", "request_fingerprint"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Appointment | None = None
    ) -> list[str]:
        return [f.name for f in Appointment._meta.concrete_fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Appointment | None = None) -> bool:
        return False

    @admin.action(description="Cancel the selected bookings (the patients are emailed)")
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        cancelled = 0
        for appointment in queryset:
            try:
                cancel_appointment(appointment=appointment, by_user=request.user)
            except DomainError as error:
                self.message_user(request, f"#{appointment.pk}: {error.detail}", messages.WARNING)
            else:
                cancelled += 1
        self.message_user(request, f"Cancelled {cancelled} booking(s).")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Which reminders went, and which a stopped worker left in "sending" (never resent)."""

    list_display = ["appointment", "channel", "state", "claimed_at", "sent_at", "claimed_by"]
    list_filter = ["state", "channel"]
    search_fields = ["=appointment__id", "appointment__patient__last_name"]
    list_select_related = ["appointment", "appointment__patient", "appointment__service"]
    readonly_fields = ["appointment", "channel", "state", "claimed_at", "claimed_by", "sent_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
