"""Reads about a user's second factors."""

from django.contrib.auth.models import AbstractBaseUser
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_second_factor(*, user: AbstractBaseUser) -> bool:
    """Whether the user has a confirmed device (an authenticator app or recovery codes)."""
    return bool(user_has_device(user, confirmed=True))


def has_authenticator(*, user: AbstractBaseUser) -> bool:
    """Whether the user has an authenticator app set up and confirmed with a code."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def get_pending_authenticator(*, user: AbstractBaseUser, device_id: int) -> TOTPDevice | None:
    """The user's authenticator app set up but not yet confirmed with a code, if any."""
    return TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()


def count_recovery_codes_left(*, user: AbstractBaseUser) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())
