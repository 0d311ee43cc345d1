"""Two-factor sign-in in a real browser: a physiotherapist sets up an authenticator app
after the password, keeps the recovery codes, signs out, and signs in with password and code."""

from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.web.roles import Role
from tests.browser.support import Steps, assert_accessible
from tests.web.staff import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_app(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app set up with ``secret`` shows (a code is accepted once,
    so a second sign-in straight after the first uses the next 30-second step's)."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def sign_in_with_password(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/patients/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def enrol_sign_out_and_back_in(page: Page, base_url: str, steps: Steps) -> None:
    sign_in_with_password(page, base_url, "ayla")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    steps.shot(page, "enrolment-page")
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text()

    page.get_by_label("Code from your app").fill(code_from_app(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    steps.shot(page, "recovery-codes")
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page).to_have_url(f"{base_url}/patients/")
    page.get_by_role("button", name="Sign out").click()

    sign_in_with_password(page, base_url, "ayla")
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    page.get_by_label("Sign-in code").fill("000000")
    page.get_by_role("button", name="Verify and continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    steps.shot(page, "code-page-wrong-code")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    page.get_by_label("Sign-in code").fill(code_from_app(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify and continue").click()
    expect(page).to_have_url(f"{base_url}/patients/")
    expect(page.locator(".who")).to_have_text("Ayla Okafor")
    steps.shot(page, "signed-in")


@pytest.fixture
def clinician(settings: Any) -> None:
    settings.FACETCARE_REQUIRE_2FA = "clinical"
    make_staff("ayla", Role.PHYSIOTHERAPIST, first_name="Ayla", last_name="Okafor")


def test_a_clinician_enrols_then_signs_in_with_password_and_code(
    page: Page, live_server: LiveServer, steps: Steps, clinician: None
) -> None:
    enrol_sign_out_and_back_in(page, live_server.url, steps)


def test_the_same_on_a_phone(
    phone: Page, live_server: LiveServer, steps: Steps, clinician: None
) -> None:
    enrol_sign_out_and_back_in(phone, live_server.url, steps)


def test_the_lockout_message_on_the_sign_in_page(
    page: Page, live_server: LiveServer, steps: Steps, clinician: None
) -> None:
    page.goto(f"{live_server.url}/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("ayla")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("Wait 15 minutes, then try again.")
    steps.shot(page, "locked-out")
    assert_accessible(page)
