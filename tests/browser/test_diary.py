"""Reception through a real browser: open the diary, click a free gap, find the patient on
the phone, book, mark them arrived; the same booking by keyboard alone; the diary on a
phone. Screenshots of each step go to the run's artefacts folder."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.booking.models import Appointment
from tests.browser.support import Steps, assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.diary.conftest import TODAY, Desk, desk, frozen
from tests.factories import local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The diary tests' clinic and stopped clock, shared as fixtures.
__all__ = ["desk", "frozen"]


def test_reception_books_an_existing_patient_by_phone_and_marks_them_arrived(
    page: Page, live_server: LiveServer, desk: Desk, steps: Steps
) -> None:
    desk.book(10)
    sign_in(page, live_server.url, "reception")
    page.get_by_role("link", name="Diary", exact=True).click()

    expect(page.get_by_role("heading", name="Tom Ashworth")).to_be_visible()
    expect(page.locator(f"#appointment-{Appointment.objects.get().pk}")).to_contain_text("Booked")
    steps.shot(page, "diary")
    assert_accessible(page)

    page.get_by_role("link", name="Free 09:00–17:00 · Book with Tom Ashworth").click()
    expect(page.get_by_role("heading", name="Book by phone")).to_be_visible()
    steps.shot(page, "booking-form")
    page.get_by_label("Find a patient").fill("tayl")  # htmx searches as they type
    choose = page.get_by_role("link", name="Choose Sam Taylor, born 17/05/1980")
    expect(choose).to_be_visible()
    steps.shot(page, "patient-found")
    choose.click()

    expect(page.locator(".chosen-patient")).to_contain_text("Sam Taylor")
    # Choosing the service refreshes the list of times (htmx) before one is picked.
    with page.expect_response(lambda response: "/diary/book/" in response.url):
        page.get_by_label("Service").select_option(label="Physiotherapy follow-up (30 min)")
    expect(page.get_by_label("Time")).to_have_value(local(TODAY, 9).isoformat())
    page.get_by_label("Time").select_option(label="11:30")
    steps.shot(page, "patient-chosen")
    assert_accessible(page)
    page.get_by_role("button", name="Book by phone").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Booked Sam Taylor for Physiotherapy follow-up with Tom Ashworth"
    )
    booked = Appointment.objects.get(practitioner=desk.tom)
    assert (booked.start, booked.channel, booked.booked_by) == (
        local(TODAY, 11, 30),
        "phone",
        desk.reception,
    )
    block = page.locator(f"#appointment-{booked.pk}")
    expect(block).to_contain_text("Sam Taylor")
    steps.shot(page, "booked")

    block.get_by_role("link").click()
    page.get_by_role("button", name="Mark arrived").click()
    expect(page.locator(".appointment-head .status")).to_have_text("Arrived")
    expect(page.get_by_role("table")).to_contain_text("Marked arrived")
    steps.shot(page, "arrived")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the diary").click()
    expect(page.locator(f"#appointment-{booked.pk}")).to_contain_text("Arrived")
    steps.shot(page, "diary-arrived")


def press_tab_until(page: Page, text: str, *, limit: int = 80) -> None:
    """Tab forwards until the focused element's text or label contains ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " if (!e || e === document.body) return '';"
            " return (e.innerText || '') + ' ' + (e.getAttribute('aria-label') || '')"
            " + ' ' + (e.labels?.[0]?.innerText || ''); }"
        )
        if text in " ".join(focused.split()):
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_the_gap_to_booking_works_by_keyboard_alone(
    page: Page, live_server: LiveServer, desk: Desk, steps: Steps
) -> None:
    sign_in(page, live_server.url, "reception")
    page.goto(f"{live_server.url}/diary/")

    press_tab_until(page, "Free 09:00–17:00 · Book with Priya Raman")
    steps.shot(page, "gap-focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Book by phone")).to_be_visible()

    press_tab_until(page, "Find a patient")
    page.keyboard.type("17/05/1980")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Choose Sam Taylor, born 17/05/1980")).to_be_visible()
    press_tab_until(page, "Choose Sam Taylor")
    steps.shot(page, "choose-focused")
    page.keyboard.press("Enter")
    expect(page.locator(".chosen-patient")).to_contain_text("Sam Taylor")

    press_tab_until(page, "Book by phone")
    steps.shot(page, "book-focused")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Booked Sam Taylor")
    booked = Appointment.objects.get()
    assert (booked.practitioner, booked.start) == (desk.priya, local(TODAY, 9))
    steps.shot(page, "booked")


def test_the_diary_reads_as_one_list_per_practitioner_on_a_phone(
    phone: Page, live_server: LiveServer, desk: Desk, steps: Steps
) -> None:
    desk.book(10)
    sign_in(phone, live_server.url, "reception")
    phone.goto(f"{live_server.url}/diary/")

    expect(phone.get_by_role("heading", name="Priya Raman")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px screen"
    steps.shot(phone, "diary-phone")
    assert_accessible(phone)

    phone.get_by_role("link", name="Free 10:30–17:00 · Book with Priya Raman").click()
    expect(phone.get_by_role("heading", name="Book by phone")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    steps.shot(phone, "booking-phone")


def test_a_practitioners_list_prints_as_one_black_and_white_table(
    page: Page, live_server: LiveServer, desk: Desk, steps: Steps
) -> None:
    desk.book(10)
    desk.book(11, practitioner=desk.tom)
    sign_in(page, live_server.url, "physio")
    page.get_by_role("link", name="Diary", exact=True).click()
    page.get_by_role("link", name="Practitioner lists").click()

    expect(page.get_by_role("heading", name="Priya Raman")).to_be_visible()
    expect(page.get_by_role("button", name="Print this list")).to_be_visible()
    steps.shot(page, "list")
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".diary-bar")).to_be_hidden()
    expect(page.get_by_role("table")).to_have_count(1)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    steps.shot(page, "printed")


def test_a_manager_reads_the_week_and_utilisation(
    page: Page, live_server: LiveServer, desk: Desk, steps: Steps
) -> None:
    desk.book(10)
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/diary/week/")

    expect(page.get_by_role("columnheader", name="Mon 2 Mar")).to_be_visible()
    steps.shot(page, "week")
    assert_accessible(page)

    page.get_by_role("link", name="Utilisation").click()
    expect(page.get_by_role("img", name="Booked against available minutes")).to_have_count(2)
    expect(page.get_by_role("row", name="Priya Raman")).to_contain_text("30 min")
    steps.shot(page, "utilisation")
    assert_accessible(page)


def test_a_slot_taken_while_on_the_phone_is_refused_with_the_details_kept(
    page: Page, live_server: LiveServer, desk: Desk, steps: Steps
) -> None:
    sign_in(page, live_server.url, "reception")
    page.goto(f"{live_server.url}/diary/")
    page.get_by_role("link", name="Free 09:00–17:00 · Book with Priya Raman").click()
    page.locator("summary").filter(has_text="Or a new patient").click()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Date of birth").fill("1984-07-09")
    page.get_by_label("Email").fill("ada.okafor@example.org")
    page.get_by_label("Phone").fill("020 7946 0123")
    steps.shot(page, "details-entered")

    desk.book(9)  # someone else takes 09:00 meanwhile
    page.get_by_role("button", name="Book by phone").click()

    expect(page.locator("#start-field")).to_contain_text("That slot has just been taken")
    expect(page.get_by_label("First name")).to_have_value("Ada")
    expect(page.get_by_label("Time")).not_to_have_value(local(TODAY, 9).isoformat())
    steps.shot(page, "slot-taken")
    assert_accessible(page)
    page.get_by_role("button", name="Book by phone").click()
    expect(page.get_by_role("status")).to_contain_text("Booked Ada Okafor")
    assert Appointment.objects.filter(patient__last_name="Okafor").count() == 1
