"""Writes for two-factor sign-in: set up an authenticator app, issue recovery codes, check a code.

Devices are django-otp's: an authenticator app is a ``TOTPDevice`` (RFC 6238 codes,
30-second steps), recovery codes are the tokens of one ``StaticDevice``. Each
device slows down guessing on its own (django-otp's throttling: after n wrong
codes the next try must wait 2^(n-1) seconds), and a TOTP code is refused a
second time, so an overheard code cannot be replayed.
"""

import math
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from facetcare.errors import InvalidInput

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
WRONG_CODE = (
    "That code is not right. Enter the 6-digit code your authenticator app shows now, "
    "or one of your recovery codes."
)


@dataclass(frozen=True)
class Enrolled:
    """A confirmed authenticator and the recovery codes issued with it (show them once)."""

    device: TOTPDevice
    recovery_codes: list[str]


def normalise_code(raw: str) -> str:
    """A code as typed ("123 456", "ABCD-EFGH") in the form the devices store."""
    return "".join(raw.split()).replace("-", "").lower()


@transaction.atomic
def start_authenticator_enrolment(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator, created with a fresh key if none.

    The same pending device comes back until it is confirmed, so reloading the page
    does not change the key the person has already scanned.
    """
    pending = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def confirm_authenticator(*, user: AbstractBaseUser, code: str) -> Enrolled:
    """Confirm the pending authenticator with a code it shows; it replaces any earlier one.

    Raises ``InvalidInput(field="code")`` when no set-up is pending or the code is wrong.
    A wrong code still counts towards the device's throttling (hence the error is
    raised after the transaction that recorded it).
    """
    token = normalise_code(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise InvalidInput("Start the set-up again: no authenticator is waiting.", field="code")
        _refuse_if_throttled([device])
        accepted = device.verify_token(token)
        if accepted:
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(user)
    if not accepted:
        raise InvalidInput(
            "That code is not right. Enter the 6-digit code your app shows for FacetCare now.",
            field="code",
        )
    return Enrolled(device=device, recovery_codes=codes)


@transaction.atomic
def regenerate_recovery_codes(*, user: AbstractBaseUser) -> list[str]:
    """Fresh recovery codes for the user; the earlier ones stop working."""
    return _replace_recovery_codes(user)


def verify_second_factor(*, user: AbstractBaseUser, code: str) -> Device:
    """The user's device that accepts ``code``: six digits go to the authenticator app,
    anything else to the recovery codes (a recovery code works once).

    Raises ``InvalidInput(field="code")`` for a wrong code or while the devices make
    the user wait after wrong ones.
    """
    token = normalise_code(code)
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if token.isdigit() else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.devices_for_user(user, confirmed=True).select_for_update())
        _refuse_if_throttled(devices)
        accepted = next((device for device in devices if device.verify_token(token)), None)
    if accepted is None:
        raise InvalidInput(WRONG_CODE, field="code")
    return accepted


def _replace_recovery_codes(user: AbstractBaseUser) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _refuse_if_throttled(devices: list[TOTPDevice] | list[StaticDevice]) -> None:
    """Raise when every device is still making the user wait after wrong codes."""
    waits = []
    for device in devices:
        allowed, detail = device.verify_is_allowed()
        if allowed:
            return
        locked_until = (detail or {}).get("locked_until")
        if locked_until is not None:
            waits.append(math.ceil((locked_until - timezone.now()).total_seconds()))
    if waits:
        seconds = max(1, min(waits))
        raise InvalidInput(
            f"Too many wrong codes. Wait {seconds} seconds, then try again.", field="code"
        )
