"""API authentication: a staff bearer token (``Authorization: Bearer fct_...``)."""

import functools
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from facetcare.plain_sql import fetch_each, instance_from_row
from facetcare.web.models import ApiToken, hash_token
from facetcare.web.roles import is_staff_member, remember_roles

LAST_USED_RESOLUTION = timedelta(minutes=1)
# What an API call needs of its user; any other field is read on first access.
_USER_FIELDS = ("id", "username", "is_superuser", "is_active")


@functools.cache
def _token_sql(vendor: str) -> str:
    """The token, its user and the user's groups, one row per group, in one statement
    (built once per database vendor)."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    users, tokens = quote(user_model._meta.db_table), quote(ApiToken._meta.db_table)
    memberships = quote(user_model.groups.through._meta.db_table)
    groups = quote(Group._meta.db_table)
    # Only quoted table names and placeholders are put into the text.
    return (
        "SELECT t.id, CASE WHEN t.last_used_at IS NULL OR t.last_used_at <= %s "  # noqa: S608
        "THEN 1 ELSE 0 END, u.id, u.username, u.is_superuser, u.is_active, g.name "
        f"FROM {tokens} t JOIN {users} u ON u.id = t.user_id "
        f"LEFT JOIN {memberships} m ON m.user_id = u.id LEFT JOIN {groups} g ON g.id = m.group_id "
        "WHERE t.key_hash = %s AND t.revoked = %s AND u.is_active = %s"
    )


def user_for_token(raw: str) -> AbstractBaseUser | None:
    """The active staff user a raw token belongs to, or None.

    One query reads the token, the user and their roles; the user comes back
    with only the fields in ``_USER_FIELDS`` loaded.
    """
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_RESOLUTION)
    params = [stale_before, hash_token(raw), False, True]
    (rows,) = fetch_each([(_token_sql(connection.vendor), params)])
    if not rows:
        return None
    token_id, stale, *user_values, _ = rows[0]
    user = instance_from_row(get_user_model(), _USER_FIELDS, user_values)
    remember_roles(user, (row[-1] for row in rows if row[-1] is not None))
    if not is_staff_member(user):
        return None
    # A durable write on every API call would cost more than the call; "last used"
    # only needs to be right to the minute.
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


class StaffToken(HttpBearer):
    """Ninja auth: sets ``request.user`` to the token's staff user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user  # type: ignore[assignment]
        return user


def bearer_token(request: HttpRequest) -> str | None:
    """The raw token in ``Authorization: Bearer ...``, if the request carries one
    (not checked here: the API throttling counts calls by it)."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    return raw.strip()


def optional_staff_user(request: HttpRequest) -> AbstractBaseUser | None:
    """The staff user behind a bearer token on this request, if any (for endpoints
    that also accept another credential, such as a booking's manage token)."""
    raw = bearer_token(request)
    return None if raw is None else user_for_token(raw)
