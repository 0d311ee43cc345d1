"""Staff roles. A role is a Django group of the same name; a user may hold several."""

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    RECEPTIONIST = "receptionist"
    PHYSIOTHERAPIST = "physiotherapist"
    CONSULTANT = "consultant"
    MANAGER = "manager"
    REFERRER = "referrer"


CLINICAL_ROLES = frozenset({Role.PHYSIOTHERAPIST, Role.CONSULTANT})


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The roles a user holds; superusers hold every role."""
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "is_superuser", False):
        return frozenset(Role)
    cached: frozenset[Role] | None = getattr(user, "_facetcare_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)  # type: ignore[attr-defined]
        cached = remember_roles(user, names)
    return cached


def remember_roles(user: AbstractBaseUser, group_names: Iterable[str]) -> frozenset[Role]:
    """Record (and return) the roles behind ``group_names`` on ``user``; read with the
    user itself, they spare ``roles_of`` a query of its own."""
    names = set(group_names)
    roles = frozenset(role for role in Role if role.value in names)
    user._facetcare_roles = roles  # type: ignore[attr-defined]
    return roles


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: Role) -> bool:
    """Whether the user holds at least one of ``roles``."""
    return bool(roles_of(user) & set(roles))


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Any clinic role except referrer."""
    return bool(roles_of(user) - {Role.REFERRER})
