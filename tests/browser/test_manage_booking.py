"""A patient manages a booking from the link in their confirmation email, in a real browser."""

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.booking.models import Appointment
from facetcare.booking.tokens import manage_link_token
from facetcare.clinics.models import Service
from tests.browser.support import PHONE, Steps, assert_accessible
from tests.factories import book, make_clinic, make_practitioner, make_room, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def booked_from_email(settings: Any, live_server: LiveServer, *, days: int = 2) -> tuple[str, Any]:
    """Book as the booking pages would, and return the manage link the email carried."""
    settings.FACETCARE_SITE_URL = live_server.url
    clinic = make_clinic(name="Riverside Spine Clinic", address="12 Mill Lane\nLondon SE1 9AA")
    make_room(clinic)
    make_room(clinic)
    service = make_service(
        name="Physiotherapy assessment",
        preparation="Wear loose clothing and bring a list of your medicines.",
    )
    practitioner = make_practitioner(clinic, service, first_name="Priya", last_name="Shah")
    make_practitioner(clinic, service, first_name="Tom", last_name="Evans")
    now = timezone.now()
    day = (now.astimezone(LONDON) + timedelta(days=days)).date()
    mail.outbox.clear()
    appointment = book(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        start=datetime.combine(day, time(10), tzinfo=LONDON),
        now=now,
    ).appointment
    found = re.search(r"https?://\S+/manage/\S+/", mail.outbox[0].body)
    assert found is not None, mail.outbox[0].body
    return found.group(0), appointment


def test_a_patient_moves_then_cancels_from_the_emailed_link_on_a_phone(
    phone: Page, live_server: LiveServer, steps: Steps, settings: Any
) -> None:
    link, appointment = booked_from_email(settings, live_server)

    phone.goto(link)
    expect(phone.get_by_role("heading", name="Your appointment")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "en-GB")
    expect(phone.locator(".when-time")).to_contain_text("10:00 GMT")
    steps.shot(phone, "booking-from-email")
    assert_accessible(phone)

    phone.get_by_role("link", name="Change the time").click()
    expect(phone.get_by_role("heading", name="Change your appointment")).to_be_visible()
    steps.shot(phone, "reschedule-first-day")
    assert_accessible(phone)

    later = phone.locator("a.strip-day.has-space").nth(3)
    later_day = later.get_attribute("id")
    later.click()
    expect(phone.locator(f"#{later_day}")).to_have_attribute("aria-current", "date")
    phone.locator("label.time-choice", has_text="11:30").first.click()
    steps.shot(phone, "reschedule-time-chosen")
    assert_accessible(phone)
    phone.get_by_role("button", name="Move my appointment").click()

    expect(phone.get_by_text("Your appointment has moved to")).to_be_visible()
    expect(phone.locator(".when-time")).to_contain_text("11:30")
    steps.shot(phone, "moved")
    assert_accessible(phone)
    moved = Appointment.objects.get(rescheduled_from=appointment)
    assert moved.start.astimezone(LONDON).time() == time(11, 30)
    assert mail.outbox[-1].subject.startswith("Appointment moved")

    phone.get_by_role("link", name="Cancel appointment").click()
    expect(phone.get_by_role("heading", name="Cancel your appointment?")).to_be_visible()
    steps.shot(phone, "cancel-confirm")
    assert_accessible(phone)
    phone.get_by_role("button", name="Yes, cancel my appointment").click()

    expect(phone.get_by_role("heading", name="Appointment cancelled")).to_be_visible()
    expect(phone.get_by_text("Your appointment is cancelled")).to_be_visible()
    steps.shot(phone, "cancelled")
    assert_accessible(phone)
    moved.refresh_from_db()
    assert moved.status == "cancelled"
    assert mail.outbox[-1].subject.startswith("Booking cancelled")

    phone.goto(link)
    expect(phone.get_by_role("heading", name="This appointment has moved")).to_be_visible()
    steps.shot(phone, "old-link-after-the-move")
    assert_accessible(phone)


def test_the_day_picker_works_on_a_desktop_and_without_javascript(
    page: Page, browser: Browser, live_server: LiveServer, steps: Steps, settings: Any
) -> None:
    link, appointment = booked_from_email(settings, live_server)

    page.goto(link)
    steps.shot(page, "desktop-booking")
    assert_accessible(page)
    page.get_by_role("link", name="Change the time").click()
    day = page.locator("a.strip-day.has-space").nth(2)
    day_id = day.get_attribute("id")
    day.click()
    # htmx swapped the picker in place and put the day in the address bar.
    expect(page.locator(f"#{day_id}")).to_have_attribute("aria-current", "date")
    expect(page).to_have_url(re.compile(r"reschedule/\?day=\d{4}-\d\d-\d\d$"))
    steps.shot(page, "desktop-reschedule")
    assert_accessible(page)

    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    try:
        plain = context.new_page()
        plain.goto(link.rstrip("/") + "/reschedule/")
        plain.locator("a.strip-day.has-space").nth(1).click()
        plain.locator("label.time-choice", has_text="15:00").first.click()
        plain.get_by_role("button", name="Move my appointment").click()
        expect(plain.get_by_text("Your appointment has moved to")).to_be_visible()
        steps.shot(plain, "no-javascript-moved")
    finally:
        context.close()
    assert Appointment.objects.filter(rescheduled_from=appointment).exists()


def test_too_late_to_change_online_gives_the_clinics_phone(
    phone: Page, live_server: LiveServer, steps: Steps, settings: Any
) -> None:
    link, appointment = booked_from_email(settings, live_server)
    Service.objects.filter(pk=appointment.service_id).update(min_notice_minutes=7 * 24 * 60)

    phone.goto(link)

    expect(phone.get_by_role("heading", name="It is too late to change")).to_be_visible()
    expect(phone.get_by_role("link", name="020 7123 4567").first).to_have_attribute(
        "href", "tel:+442071234567"
    )
    expect(phone.get_by_role("link", name="Change the time")).to_have_count(0)
    steps.shot(phone, "too-late")
    assert_accessible(phone)


def test_a_broken_or_expired_link_gets_a_plain_page(
    phone: Page, live_server: LiveServer, steps: Steps, settings: Any
) -> None:
    link, appointment = booked_from_email(settings, live_server)

    broken = phone.goto(link[:-8] + "/")

    assert broken is not None
    assert broken.status == 404
    expect(phone.get_by_role("heading", name="This link does not work")).to_be_visible()
    steps.shot(phone, "broken-link")
    assert_accessible(phone)

    then = datetime(2020, 3, 2, 7, tzinfo=UTC)
    old = book(
        service=appointment.service,
        clinic=appointment.clinic,
        practitioner=appointment.practitioner,
        start=datetime.combine(then.date(), time(10), tzinfo=LONDON),
        now=then,
    ).appointment
    expired = phone.goto(f"{live_server.url}/manage/{manage_link_token(old)}/")

    assert expired is not None
    assert expired.status == 410
    expect(phone.get_by_role("heading", name="This link has expired")).to_be_visible()
    expect(phone.get_by_role("link", name="020 7123 4567")).to_have_attribute(
        "href", "tel:+442071234567"
    )
    steps.shot(phone, "expired-link")
    assert_accessible(phone)


def test_a_us_booking_reads_in_american_english(
    phone: Page, live_server: LiveServer, steps: Steps, settings: Any
) -> None:
    settings.FACETCARE_SITE_URL = live_server.url
    clinic = make_clinic(
        name="Valley Spine Center",
        address="400 Oak Avenue\nVentura, CA 93001",
        time_zone="America/Los_Angeles",
        locale="en-US",
        phone="+13105550142",
        currency="USD",
    )
    make_room(clinic)
    service = make_service(name="Facet joint consultation")
    practitioner = make_practitioner(clinic, service, first_name="Dana", last_name="Lee")
    zone = ZoneInfo("America/Los_Angeles")
    day = (timezone.now().astimezone(zone) + timedelta(days=3)).date()
    book(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        start=datetime.combine(day, time(14), tzinfo=zone),
        now=timezone.now(),
    )
    found = re.search(r"https?://\S+/manage/\S+/", mail.outbox[-1].body)
    assert found is not None

    phone.goto(found.group(0))

    expect(phone.locator("html")).to_have_attribute("lang", "en-US")
    expect(phone.locator(".when-time")).to_contain_text("2:00 PM P")
    steps.shot(phone, "us-booking")
    assert_accessible(phone)
