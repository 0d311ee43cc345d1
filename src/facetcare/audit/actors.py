"""Who acts on a record: the type every service and selector takes as ``acting_user``."""

from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from facetcare.errors import Forbidden

# What request.user is on a page or an API call; services narrow it themselves.
type Actor = AbstractBaseUser | AnonymousUser


def authenticated(actor: Actor) -> User:
    """The actor as a user account that records can name; Forbidden for anonymous."""
    if not actor.is_authenticated:
        raise Forbidden("Sign in first")
    return cast(User, actor)
