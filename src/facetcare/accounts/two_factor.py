"""Who must sign in with a second factor, by the ``FACETCARE_REQUIRE_2FA`` setting.

- ``off``: nobody must; a user who has set up an authenticator app is still asked
  for a code (having a device always means using it).
- ``clinical``: physiotherapists and consultants (the people who read and write
  clinical records) must, and so must anyone opening the admin site.
- ``all``: every staff user (anyone holding a role, or the admin's staff flag) must.
  A patient's portal account holds neither: patients sign in by an emailed link.
"""

from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from facetcare.web.roles import CLINICAL_ROLES, has_role, roles_of


class Requirement(StrEnum):
    OFF = "off"
    CLINICAL = "clinical"
    ALL = "all"


def current_requirement() -> Requirement:
    return Requirement(settings.FACETCARE_REQUIRE_2FA)


def must_use_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` may use the staff pages only after a one-time code."""
    requirement = current_requirement()
    if not user.is_authenticated or requirement is Requirement.OFF:
        return False
    if requirement is Requirement.ALL:
        return is_staff_account(user)
    return has_role(user, *CLINICAL_ROLES)


def is_staff_account(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the user is one of the clinic's people (any role, or the admin's staff
    flag) rather than a patient's portal account, which holds no role."""
    return bool(roles_of(user)) or bool(getattr(user, "is_staff", False))


def admin_site_needs_second_factor() -> bool:
    """The admin site opens every table, so any requirement at all covers it."""
    return current_requirement() is not Requirement.OFF
