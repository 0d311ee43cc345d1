import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.web.roles import Role
from tests.web.staff import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_sign_in_and_see_their_name(page: Page, live_server: LiveServer) -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST, first_name="Ayla", last_name="Okafor")

    sign_in(page, live_server.url, "ayla")

    expect(page.locator(".who")).to_have_text("Ayla Okafor")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_wrong_password_is_refused_with_a_message(page: Page, live_server: LiveServer) -> None:
    make_staff("ben", Role.RECEPTIONIST)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("ben")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    expect(page.locator(".who")).to_have_count(0)
