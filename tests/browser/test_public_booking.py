"""A patient books through the public pages in a real browser: on a phone for today,
with the keyboard alone, and when someone else takes the time meanwhile. axe checks
every public page; each step is saved as a screenshot."""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.booking.models import Appointment
from facetcare.booking.services import book_appointment
from facetcare.clinics.models import Closure, Service
from tests.browser.support import DESKTOP, PHONE, Steps, assert_accessible
from tests.factories import patient_details
from tests.public.conftest import PublicWorld, build_public_world, open_all_day_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world() -> PublicWorld:
    return build_public_world()


def _size(viewport: dict[str, int]) -> ViewportSize:
    return ViewportSize(width=viewport["width"], height=viewport["height"])


def check_page(page: Page, steps: Steps, name: str, *, width: int) -> None:
    """axe finds nothing serious, nothing scrolls sideways, and a screenshot is kept."""
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    steps.shot(page, name)


def fill_details(page: Page, *, phone_number: str = "07911 123456") -> None:
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Taylor")
    page.get_by_label("Date of birth").fill("17/05/1980")
    page.get_by_label("Email address").fill("sam.taylor@example.org")
    page.get_by_label("Mobile or phone number").fill(phone_number)
    page.get_by_label("I agree that the clinic may email and text me").check()


def test_a_patient_books_for_today_on_a_phone(
    phone: Page, live_server: LiveServer, world: PublicWorld, steps: Steps
) -> None:
    width = PHONE["width"]
    open_all_day_today(world)
    phone.goto(f"{live_server.url}/")
    check_page(phone, steps, "home", width=width)

    phone.get_by_role("link", name="Book an appointment").click()
    expect(phone.get_by_role("heading", name="Choose a clinic")).to_be_visible()
    expect(phone.locator(".next-free")).to_contain_text("Today at")
    check_page(phone, steps, "clinics", width=width)

    phone.get_by_role("link", name=re.compile(r"^Book at this clinic\W+Riverside")).click()
    expect(phone.locator("html")).to_have_attribute("lang", "en-GB")
    expect(phone.get_by_text("save £7.50")).to_be_visible()
    check_page(phone, steps, "services", width=width)

    phone.get_by_role("link", name=re.compile(r"^Choose a time\W+for Facet joint")).click()
    expect(phone.locator(".day.selected .day-name")).to_have_text("Today")
    check_page(phone, steps, "times-today", width=width)

    first_time = phone.locator("a.time").first
    chosen = first_time.inner_text().strip()
    first_time.click()
    expect(phone.get_by_role("heading", name="Your details")).to_be_visible()
    check_page(phone, steps, "details", width=width)

    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_text("Enter your first name")).to_be_visible()
    expect(phone.get_by_text("Tick the box to agree")).to_be_visible()
    check_page(phone, steps, "details-errors", width=width)

    fill_details(phone)
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", name="Check and confirm")).to_be_visible()
    expect(phone.locator(".confirm-summary").first).to_contain_text(chosen)
    check_page(phone, steps, "confirm", width=width)

    phone.get_by_role("button", name="Confirm booking").click()
    expect(phone.get_by_role("heading", name="You are booked in")).to_be_visible()
    expect(phone.get_by_role("link", name="Change or cancel this booking")).to_be_visible()
    check_page(phone, steps, "booked", width=width)

    appointment = Appointment.objects.get()
    local_start = appointment.start.astimezone(world.clinic_zone())
    assert local_start.date() == world.today_at_clinic()
    assert f"{local_start:%H:%M}" == chosen
    assert appointment.channel == Appointment.Channel.ONLINE


def test_the_time_is_taken_between_choosing_and_confirming(
    page: Page, live_server: LiveServer, world: PublicWorld, steps: Steps
) -> None:
    day = world.future_day.isoformat()
    page.goto(f"{live_server.url}/book/riverside/assessment/?day={day}")
    page.get_by_role("link", name="10:00", exact=True).click()
    fill_details(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Confirm booking")).to_be_visible()
    steps.shot(page, "confirm-before-taken")

    book_appointment(
        service=world.assessment,
        clinic=world.clinic,
        practitioner=world.physio,
        start=world.at(10),
        patient_details=patient_details(first_name="Quick", email="quick@example.org"),
        channel="online",
    )
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_text("That time has just been taken")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{world.future_day:%A}")).to_be_visible()
    expect(page.get_by_role("link", name="10:00", exact=True)).to_have_count(0)
    check_page(page, steps, "times-after-taken", width=DESKTOP["width"])

    page.get_by_role("link", name="11:00", exact=True).click()
    expect(page.get_by_label("First name")).to_have_value("Sam")
    expect(page.get_by_label("Mobile or phone number")).to_have_value("+447911123456")
    expect(page.get_by_label("I agree that the clinic may email and text me")).to_be_checked()
    steps.shot(page, "details-kept")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", name="You are booked in")).to_be_visible()
    steps.shot(page, "booked-at-eleven")
    mine = Appointment.objects.get(patient__first_name="Sam")
    assert mine.start == world.at(11)


def press_tab_to(page: Page, name: str, *, limit: int = 80) -> None:
    """Tab forward until the focused element's text or label starts with ``name``, and
    check that it shows a focus outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
                const style = getComputedStyle(el);
                return {text: (el.innerText || label || el.value || "").trim(),
                        outline: style.outlineStyle, width: style.outlineWidth};
            }"""
        )
        if focused["text"].startswith(name):
            assert focused["outline"] != "none", f"{name} shows no focus outline"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_booking_with_the_keyboard_alone(
    page: Page, live_server: LiveServer, world: PublicWorld, steps: Steps
) -> None:
    page.goto(f"{live_server.url}/")
    press_tab_to(page, "Book an appointment")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Choose a clinic")).to_be_visible()
    press_tab_to(page, "Book at this clinic")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Choose a service")).to_be_visible()
    press_tab_to(page, "Choose a time")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Choose a day and time")).to_be_visible()
    press_tab_to(page, "Later")
    steps.shot(page, "keyboard-later-focused")
    first_week = page.locator(".week-title").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator(".week-title")).not_to_have_text(first_week)
    press_tab_to(page, "08:00")
    steps.shot(page, "keyboard-time-focused")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    for label, text in (
        ("First name", "Sam"),
        ("Last name", "Taylor"),
        ("Date of birth", "17/05/1980"),
        ("Email address", "sam.taylor@example.org"),
        ("Mobile or phone number", "07911 123456"),
    ):
        press_tab_to(page, label)
        page.keyboard.type(text)
    press_tab_to(page, "I agree")
    page.keyboard.press("Space")
    press_tab_to(page, "Continue")
    steps.shot(page, "keyboard-details")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Check and confirm")).to_be_visible()
    press_tab_to(page, "Confirm booking")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You are booked in")).to_be_visible()
    steps.shot(page, "keyboard-booked")
    appointment = Appointment.objects.get()
    assert appointment.start.astimezone(world.clinic_zone()).hour == 8
    assert appointment.patient.date_of_birth == date(1980, 5, 17)


def test_every_other_public_page_passes_axe_at_both_widths(
    browser: Browser, live_server: LiveServer, world: PublicWorld, steps: Steps
) -> None:
    # The assessment can be booked two days ahead, all of them closed: nothing online.
    Service.objects.filter(pk=world.assessment.pk).update(max_advance_days=2)
    Closure.objects.create(clinic=world.clinic, first_day=world.today, last_day=world.future_day)
    class_day = world.future_day + timedelta(days=1)
    for n in range(3):
        book_appointment(
            service=world.pilates,
            clinic=world.clinic,
            practitioner=world.instructor,
            start=world.at(10, day=class_day),
            patient_details=patient_details(email=f"class{n}@example.org"),
            channel="online",
        )
    pages = {
        "nearest": "/clinics/?place=M3+4ZZ",
        "unknown-place": "/clinics/?place=Atlantis",
        "class-times": f"/book/riverside/pilates/?day={class_day}",
        "no-slot": "/book/riverside/assessment/",
        "phone-only": "/book/riverside/injection/",
        "bad-day": "/book/riverside/pilates/?day=not-a-day",
        "not-found": "/book/nowhere/",
    }
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(locale="en-GB", viewport=_size(viewport))
        page = context.new_page()
        for name, url in pages.items():
            page.goto(f"{live_server.url}{url}")
            check_page(page, steps, f"{name}-{viewport['width']}", width=viewport["width"])
            if name == "class-times":
                expect(page.locator(".time.full")).to_have_text("10:00Full")
            if name == "no-slot":
                expect(page.get_by_text("No appointments free online")).to_be_visible()
        context.close()


@pytest.fixture
def located_phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A phone whose browser says it is in Salford, and may tell the page."""
    context = browser.new_context(
        locale="en-GB",
        viewport=_size(PHONE),
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 53.4722, "longitude": -2.2970},
        permissions=["geolocation"],
    )
    yield context.new_page()
    context.close()


def test_use_my_location_sorts_the_clinics_by_distance(
    located_phone: Page, live_server: LiveServer, world: PublicWorld, steps: Steps
) -> None:
    located_phone.goto(f"{live_server.url}/clinics/")

    located_phone.get_by_role("button", name="Use my location").click()

    expect(located_phone.get_by_text("nearest to your location")).to_be_visible()
    expect(located_phone.locator(".distance").first).to_contain_text("miles away")
    check_page(located_phone, steps, "nearest-to-me", width=PHONE["width"])


def test_without_javascript_the_location_button_is_hidden_and_booking_still_works(
    browser: Browser, live_server: LiveServer, world: PublicWorld, steps: Steps
) -> None:
    context = browser.new_context(locale="en-GB", viewport=_size(PHONE), java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/clinics/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("Postcode, ZIP code or town").fill("WA14 2AB")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("WA14 2AB (Altrincham)")).to_be_visible()

    page.goto(f"{live_server.url}/book/riverside/assessment/?day={world.future_day}")
    page.get_by_role("link", name="09:00", exact=True).click()
    fill_details(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", name="You are booked in")).to_be_visible()
    steps.shot(page, "booked-without-javascript")
    context.close()
    assert Appointment.objects.get().start == world.at(9)


def test_a_double_click_on_confirm_books_once(
    page: Page, live_server: LiveServer, world: PublicWorld, steps: Steps
) -> None:
    page.goto(f"{live_server.url}/book/riverside/assessment/?day={world.future_day}")
    page.get_by_role("link", name="12:00", exact=True).click()
    fill_details(page)
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("button", name="Confirm booking").dblclick()

    expect(page.get_by_role("heading", name="You are booked in")).to_be_visible()
    steps.shot(page, "booked-after-double-click")
    assert Appointment.objects.count() == 1
