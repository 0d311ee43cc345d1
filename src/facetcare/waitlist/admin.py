"""The waiting list in the admin: to look at, not to edit.

Joining, offering, accepting and removing go through ``waitlist.services`` (and
the staff page at /waitlist/), which check the slot, email the people concerned
and keep offers in step with their entries; a form saving rows directly would
skip all of that.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer


class ViewOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ViewOnly):
    list_display = ["last_name", "first_name", "service", "status", "joined_at", "left_at"]
    list_filter = ["status", "service", "clinics"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["service"]
    date_hierarchy = "joined_at"


@admin.register(WaitlistOffer)
class WaitlistOfferAdmin(ViewOnly):
    list_display = [
        "start",
        "clinic",
        "practitioner",
        "entry",
        "status",
        "created_at",
        "offered_by",
    ]
    list_filter = ["status", "clinic", "service"]
    search_fields = ["entry__last_name", "entry__email"]
    list_select_related = ["clinic", "practitioner", "entry__service", "offered_by"]
    date_hierarchy = "start"
