"""The waitlist in a browser: a patient joins on a phone, two people race for an offered
time, and reception works the list. Every page is checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.booking.services import cancel_appointment
from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer
from facetcare.waitlist.tokens import offer_link_token
from facetcare.web.roles import Role
from tests.browser.support import Steps, assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.waitlist.conftest import Waitworld, build_waitworld
from tests.web.staff import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waitworld(transactional_db: None) -> Waitworld:
    return build_waitworld()


def test_a_patient_joins_the_waiting_list_on_a_phone(
    waitworld: Waitworld, phone: Page, live_server: LiveServer, steps: Steps
) -> None:
    phone.goto(f"{live_server.url}/waitlist/join/?clinic=harley&service=assessment")
    steps.shot(phone, "join-form")
    assert_accessible(phone)

    phone.get_by_role("button", name="Join the waiting list").click()
    expect(phone.get_by_text("Choose at least one clinic")).to_have_count(0)  # pre-chosen
    expect(phone.locator("#id_first_name_error")).to_contain_text("Enter your first name")
    steps.shot(phone, "join-errors")
    assert_accessible(phone)

    phone.get_by_label("First name").fill("Ada")
    phone.get_by_label("Last name").fill("Lovelace")
    phone.get_by_label("Date of birth").fill("1985-12-10")
    phone.get_by_label("Email:", exact=True).fill("ada@example.org")
    phone.get_by_label("Phone").fill("07911 123456")
    phone.get_by_label("Sunday").uncheck()
    phone.get_by_label("Evening (from 17:00)").uncheck()
    phone.get_by_label("Email me when a time comes up").check()
    phone.get_by_role("button", name="Join the waiting list").click()

    expect(phone.get_by_role("heading", name="You are on the waiting list")).to_be_visible()
    steps.shot(phone, "joined")
    assert_accessible(phone)
    entry = WaitlistEntry.objects.get()
    assert (entry.weekdays, entry.parts_of_day) == ([0, 1, 2, 3, 4, 5], ["morning", "afternoon"])


def test_the_join_form_on_a_desktop(
    waitworld: Waitworld, page: Page, live_server: LiveServer, steps: Steps
) -> None:
    page.goto(f"{live_server.url}/waitlist/join/?clinic=harley")
    steps.shot(page, "join-form")
    assert_accessible(page)


def test_the_first_to_accept_an_offer_gets_it_and_the_second_is_told(
    waitworld: Waitworld, phone: Page, page: Page, live_server: LiveServer, steps: Steps
) -> None:
    first = timezone.now() - timedelta(days=1)
    waitworld.join("Ada", joined=first)
    waitworld.join("Ben", joined=first + timedelta(minutes=1))
    # The cancellation queues the offers; the suite runs tasks at once.
    cancel_appointment(appointment=waitworld.book(waitworld.at(10)))
    ada, ben = WaitlistOffer.objects.order_by("entry__joined_at")

    phone.goto(f"{live_server.url}/waitlist/offer/{offer_link_token(ada)}/")
    expect(phone.get_by_role("heading", name="A time has come up")).to_be_visible()
    steps.shot(phone, "offer")
    assert_accessible(phone)
    phone.get_by_role("button", name="Book this time").click()
    expect(phone.get_by_role("heading", name="You are booked")).to_be_visible()
    steps.shot(phone, "booked")
    assert_accessible(phone)

    page.goto(f"{live_server.url}/waitlist/offer/{offer_link_token(ben)}/")
    expect(page.get_by_text("someone else accepted it first")).to_be_visible()
    steps.shot(page, "gone")
    assert_accessible(page)

    page.goto(f"{live_server.url}/waitlist/offer/not-a-real-link/")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    steps.shot(page, "bad-link")


def test_reception_offers_a_time_from_the_list(
    waitworld: Waitworld, page: Page, live_server: LiveServer, steps: Steps
) -> None:
    make_staff("rita", Role.RECEPTIONIST, first_name="Rita", last_name="Desk")
    first = timezone.now() - timedelta(days=1)
    waitworld.join("Ada", joined=first, parts_of_day=["afternoon"])
    waitworld.join("Oli", joined=first, clinics=[waitworld.other_clinic])
    sign_in(page, live_server.url, "rita")

    page.goto(f"{live_server.url}/waitlist/")
    expect(page.get_by_role("link", name="Ada Taylor")).to_be_visible()
    steps.shot(page, "list")
    assert_accessible(page)

    page.get_by_role("link", name="Ada Taylor").click()
    steps.shot(page, "entry")
    assert_accessible(page)
    page.get_by_role("button", name="Offer").first.click()
    expect(page.get_by_text("they have been emailed the link")).to_be_visible()
    expect(page.get_by_text("Waiting for an answer")).to_be_visible()
    steps.shot(page, "offered")
    assert_accessible(page)


def test_the_staff_list_on_a_phone(
    waitworld: Waitworld, phone: Page, live_server: LiveServer, steps: Steps
) -> None:
    make_staff("rita", Role.RECEPTIONIST)
    waitworld.join("Ada")
    sign_in(phone, live_server.url, "rita")

    phone.goto(f"{live_server.url}/waitlist/")
    steps.shot(phone, "list")
    phone.get_by_role("link", name="Ada Taylor").click()
    steps.shot(phone, "entry")
    assert_accessible(phone)
