"""Admin for the clinic directory: where a clinic manager configures clinics, hours,
closures, rooms, services, prices and practitioners' working patterns."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from facetcare.clinics.models import (
    Clinic,
    Closure,
    OpeningHours,
    Practitioner,
    Room,
    Service,
    TimeOff,
    WorkingHours,
)


class OpeningHoursInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Closure
    extra = 0


class RoomInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Room
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "postcode", "time_zone", "currency", "phone", "is_active"]
    list_filter = ["is_active", "time_zone", "currency"]
    search_fields = ["name", "slug", "postcode", "address"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, ClosureInline, RoomInline]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["clinic", "first_day", "last_day", "kind", "reason"]
    list_filter = ["kind", "clinic"]
    search_fields = ["reason", "clinic__name"]
    date_hierarchy = "first_day"
    list_select_related = ["clinic"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "clinic", "capacity", "equipment", "is_active"]
    list_filter = ["is_active", "clinic"]
    search_fields = ["name", "clinic__name"]
    list_select_related = ["clinic"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "category",
        "duration_minutes",
        "price",
        "online_discount_percent",
        "capacity",
        "online_bookable",
        "is_active",
    ]
    list_filter = ["category", "required_profession", "online_bookable", "is_active", "region"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class WorkingHoursInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WorkingHours
    extra = 0
    autocomplete_fields = ["clinic"]


class TimeOffInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TimeOff
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["display_name", "profession", "registration_number", "is_active"]
    list_filter = ["profession", "is_active", "clinics"]
    search_fields = ["first_name", "last_name", "registration_number"]
    filter_horizontal = ["clinics", "services"]
    autocomplete_fields = ["user"]
    inlines = [WorkingHoursInline, TimeOffInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Practitioner]:
        return super().get_queryset(request).select_related("user")


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["practitioner", "clinic", "weekday", "starts", "ends", "valid_from"]
    list_filter = ["weekday", "clinic"]
    search_fields = ["practitioner__first_name", "practitioner__last_name", "clinic__name"]
    list_select_related = ["practitioner", "clinic"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["practitioner", "start", "end", "reason"]
    list_filter = ["practitioner"]
    search_fields = ["practitioner__first_name", "practitioner__last_name", "reason"]
    date_hierarchy = "start"
    list_select_related = ["practitioner"]
