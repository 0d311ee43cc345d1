"""The Django model permissions each staff role's group holds, for the admin.

A clinic manager runs the clinic directory from the admin: clinics with their
opening hours, closures and rooms, services with their prices and online
discounts, practitioners with their working patterns and time off, and staff
API tokens. Nothing clinical: no patient, episode, assessment or procedure
permission, so those admin pages answer 403. ``grant_manager_permissions`` sets
exactly this on the "manager" group; the demo loader calls it, and a real
install runs ``facetcare grantroles``.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from facetcare.web.roles import Role

ALL = ("add", "change", "delete", "view")
# Clinics, services and practitioners are retired (is_active), never deleted:
# their bookings keep pointing at them.
KEEP = ("add", "change", "view")

MANAGER_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("clinics", "clinic"): KEEP,
    ("clinics", "openinghours"): ALL,
    ("clinics", "closure"): ALL,
    ("clinics", "room"): ALL,
    ("clinics", "service"): KEEP,
    ("clinics", "practitioner"): KEEP,
    ("clinics", "workinghours"): ALL,
    ("clinics", "timeoff"): ALL,
    ("web", "apitoken"): ALL,
    # Seeing staff accounts lets a manager link a practitioner to their login.
    ("auth", "user"): ("view",),
}


def manager_permission_codes() -> set[str]:
    """``app_label.codename`` of every permission the manager group should hold."""
    return {
        f"{app}.{action}_{model}"
        for (app, model), actions in MANAGER_PERMISSIONS.items()
        for action in actions
    }


@transaction.atomic
def grant_manager_permissions() -> Group:
    """Give the "manager" group exactly ``MANAGER_PERMISSIONS`` (creating the group if
    needed, removing any other permission it held). Run after migrations, which
    create the permissions themselves."""
    group, _ = Group.objects.get_or_create(name=Role.MANAGER.value)
    wanted = Q(pk__in=[])
    for (app, model), actions in MANAGER_PERMISSIONS.items():
        wanted |= Q(
            content_type__app_label=app,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    group.permissions.set(Permission.objects.filter(wanted))
    return group
