"""Writes for staff API tokens: issue one (its key shown once) and revoke it."""

import secrets

from django.contrib.auth.models import User

from facetcare.errors import InvalidInput
from facetcare.web.models import ApiToken, hash_token
from facetcare.web.roles import is_staff_member

TOKEN_PREFIX = "fct_"  # noqa: S105 (a marker, not a secret)


def issue_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the staff member ``user``, named ``name``, and its raw key.

    Only the key's hash is stored, so the raw key returned here is the one chance
    to copy it. Raises InvalidInput as ``check_token_request`` does.
    """
    label = check_token_request(user=user, name=name)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=label, key_hash=hash_token(raw))
    return token, raw


def check_token_request(*, user: User, name: str) -> str:
    """The name a token for ``user`` would be stored under; raises InvalidInput for
    an empty name or a user without an active clinic role (the API would refuse
    their token anyway)."""
    label = name.strip()
    if not label:
        raise InvalidInput("Give the token a name, e.g. the system that will use it", field="name")
    if not user.is_active or not is_staff_member(user):
        raise InvalidInput("API tokens are only for active clinic staff", field="user")
    return label


def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Stop ``token`` working from the next request on; the row stays, as a record."""
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
    return token
