"""``facetcare grantroles``: give the staff role groups their admin permissions."""

from typing import Any

from django.core.management.base import BaseCommand

from facetcare.web.role_permissions import grant_manager_permissions


class Command(BaseCommand):
    help = (
        "Give the 'manager' group the admin permissions a clinic manager needs (clinics, "
        "hours, closures, rooms, services and prices, working patterns, time off, API "
        "tokens) and nothing clinical. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        group = grant_manager_permissions()
        count = group.permissions.count()
        self.stdout.write(f"The {group.name} group now holds {count} permissions.")
