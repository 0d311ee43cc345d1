"""Manage tokens: what lets a patient view, cancel or reschedule a booking from a link.

A token is an HMAC (keyed with the site's SECRET_KEY) of the appointment id and
its random per-booking ``manage_secret``. Nothing about it is stored, so a copy
of the database alone cannot forge one, and replacing ``manage_secret`` revokes
every link to that booking.
"""

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
