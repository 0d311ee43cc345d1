"""API authentication: a staff bearer token (``Authorization: Bearer fct_...``)."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from facetcare.web.models import ApiToken, hash_token
from facetcare.web.roles import is_staff_member

LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(raw: str) -> AbstractBaseUser | None:
    """The active staff user a raw token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked=False, user__is_active=True)
        .first()
    )
    if token is None or not is_staff_member(token.user):
        return None
    now = timezone.now()
    # A durable write on every API call would cost more than the call; "last used"
    # only needs to be right to the minute.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class StaffToken(HttpBearer):
    """Ninja auth: sets ``request.user`` to the token's staff user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user  # type: ignore[assignment]
        return user


def optional_staff_user(request: HttpRequest) -> AbstractBaseUser | None:
    """The staff user behind a bearer token on this request, if any (for endpoints
    that also accept another credential, such as a booking's manage token)."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw:
        return None
    return user_for_token(raw.strip())
