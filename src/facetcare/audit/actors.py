"""Who acts on a record: the type every service and selector takes as ``acting_user``."""

from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User

from facetcare.errors import Forbidden
from facetcare.web.roles import Role

# What request.user is on a page or an API call; services narrow it themselves.
type Actor = AbstractBaseUser | AnonymousUser


def authenticated(actor: Actor) -> User:
    """The actor as a user account that records can name; Forbidden for anonymous."""
    if not actor.is_authenticated:
        raise Forbidden("Sign in first")
    return cast(User, actor)


COMMAND_LINE_USERNAME = "facetcare-cli"


def command_line_user() -> User:
    """The account a command run on the server acts as, so the access log can name it.

    Whoever runs ``facetcare`` on the server already holds its database, so the
    account has the manager role; it can never sign in (inactive, no usable
    password) and no API token works for it.
    """
    user, created = User.objects.get_or_create(
        username=COMMAND_LINE_USERNAME,
        defaults={"is_active": False, "first_name": "Command", "last_name": "line"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.MANAGER.value)[0])
    return user
