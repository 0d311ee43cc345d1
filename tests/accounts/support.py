"""Two-factor helpers for tests: enrol a user as the pages would, and read codes off a device."""

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from facetcare.accounts import services
from tests.web.staff import PASSWORD


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` 30-second steps later).

    A code is accepted once: after a device took this step's code, the next sign-in
    needs the next step's (the device allows one step of clock drift).
    """
    device.refresh_from_db()
    value = totp(
        device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, drift=0
    )
    return f"{value:0{device.digits}d}"


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator app and recovery codes for ``user``, confirmed."""
    device = services.start_authenticator_enrolment(user=user)
    enrolled = services.confirm_authenticator(user=user, code=code_for(device))
    return enrolled.device, enrolled.recovery_codes


def sign_in_with_password(client: Client, username: str) -> Any:
    return client.post("/login/", {"username": username, "password": PASSWORD})
