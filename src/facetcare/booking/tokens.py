"""Manage tokens: what lets a patient view, cancel or reschedule a booking from a link.

A token is an HMAC (keyed with the site's SECRET_KEY) of the appointment id and
its random per-booking ``manage_secret``. Nothing about it is stored, so a copy
of the database alone cannot forge one, and replacing ``manage_secret`` revokes
every link to that booking.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from facetcare.booking.models import Appointment

_SALT = "facetcare.booking.manage-token"


def manage_token(appointment: Appointment) -> str:
    return salted_hmac(
        _SALT, f"{appointment.pk}:{appointment.manage_secret}", algorithm="sha256"
    ).hexdigest()


def is_valid_manage_token(appointment: Appointment, token: str) -> bool:
    """Constant-time comparison, so response timing does not reveal a prefix."""
    return constant_time_compare(manage_token(appointment), token)


# A manage link carries the appointment id and its token, signed with an expiry:
# it works until a day after the appointment ends (nothing is left to manage then),
# and a copy of the database cannot make one.
_LINK_SALT = "facetcare.booking.manage-link"
LINK_GRACE = timedelta(days=1)


class ManageLinkInvalid(Exception):
    """The link was altered, belongs to no booking, or has expired (``expired`` says which)."""

    def __init__(self, detail: str, *, expired: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.expired = expired


def manage_link_token(appointment: Appointment) -> str:
    """The opaque, URL-safe part of a manage link for ``appointment``."""
    expires = int((appointment.end + LINK_GRACE).timestamp())
    return signing.dumps(
        {"a": appointment.pk, "t": manage_token(appointment), "x": expires}, salt=_LINK_SALT
    )


@dataclass(frozen=True, slots=True)
class ManageLink:
    appointment_id: int
    token: str


def read_manage_link(token: str, *, now: datetime) -> ManageLink:
    """What a manage link names, or ManageLinkInvalid (altered or expired).

    The caller loads the appointment and checks ``is_valid_manage_token(appointment,
    link.token)``, so a link dies when its booking's ``manage_secret`` changes.
    """
    try:
        payload = signing.loads(token, salt=_LINK_SALT)
    except signing.BadSignature:
        raise ManageLinkInvalid(
            "This link is not valid. Please use the link from your latest email."
        ) from None
    if not isinstance(payload, dict) or not {"a", "t", "x"} <= payload.keys():
        raise ManageLinkInvalid(
            "This link is not valid. Please use the link from your latest email."
        )
    if now.timestamp() > payload["x"]:
        raise ManageLinkInvalid("This link has expired.", expired=True)
    return ManageLink(int(payload["a"]), str(payload["t"]))
