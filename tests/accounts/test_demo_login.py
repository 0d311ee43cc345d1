"""The demo's two-factor login works with what the demo summary prints."""

from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp

from facetcare.demo.people import LOGINS, load_staff

pytestmark = pytest.mark.django_db

VERIFY = "/account/two-factor/code/"


def printed() -> tuple[str, str, str]:
    login = next(login for login in LOGINS if login.username == "secure")
    key = login.look_at.split("key ")[1].split(",")[0]
    recovery = login.look_at.split("recovery code ")[1].split(" ")[0]
    return login.password, key, recovery


def signed_in_with_password() -> Client:
    password, _, _ = printed()
    client = Client()
    client.post("/login/", {"username": "secure", "password": password})
    assert client.get("/")["Location"].startswith(VERIFY)
    return client


def test_the_printed_authenticator_key_gives_codes_the_demo_login_accepts() -> None:
    load_staff()
    _, key, _ = printed()

    client = signed_in_with_password()
    client.post(VERIFY, {"code": f"{totp(b32decode(key)):06d}"})

    assert client.get("/patients/").status_code == 200


def test_the_printed_recovery_code_works_and_a_demo_reload_restores_it() -> None:
    load_staff()
    _, _, recovery = printed()
    first = signed_in_with_password()
    assert first.post(VERIFY, {"code": recovery}).status_code == 302
    assert signed_in_with_password().post(VERIFY, {"code": recovery}).status_code == 400

    load_staff()

    assert signed_in_with_password().post(VERIFY, {"code": recovery}).status_code == 302
