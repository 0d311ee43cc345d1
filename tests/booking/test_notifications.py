"""Booking emails and texts: what they say, their calendar files, and who gets a text."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from facetcare.booking.calendar_file import appointment_ics, event_uid
from facetcare.booking.models import Appointment
from facetcare.booking.notifications import render_appointment_summary
from facetcare.booking.services import cancel_appointment, reschedule_appointment
from facetcare.clinics.models import Service
from facetcare.patients.models import Patient
from facetcare.sms import InMemorySmsBackend
from tests.booking.conftest import NOW, World
from tests.factories import book, make_clinic, make_practitioner, make_room, make_service

LONDON = ZoneInfo("Europe/London")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def texts(settings: Any) -> Iterator[list[Any]]:
    settings.FACETCARE_SMS_BACKEND = "facetcare.sms.InMemorySmsBackend"
    settings.FACETCARE_SITE_URL = "https://book.example.org"
    InMemorySmsBackend.outbox.clear()
    yield InMemorySmsBackend.outbox
    InMemorySmsBackend.outbox.clear()


@pytest.fixture
def committing(django_capture_on_commit_callbacks: Any) -> Any:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=zone)


def book_at(
    world: World, start: datetime, *, now: datetime = NOW, committing: Any, **extra: Any
) -> Appointment:
    with committing():
        return book(
            service=world.service,
            clinic=world.clinic,
            practitioner=world.practitioner,
            start=start,
            now=now,
            **extra,
        ).appointment


def la_world() -> World:
    clinic = make_clinic(
        time_zone="America/Los_Angeles", locale="en-US", phone="+13105550142", currency="USD"
    )
    room = make_room(clinic)
    service = make_service(price=Decimal("120.00"), online_discount_percent=Decimal("0"))
    return World(clinic, room, service, make_practitioner(clinic, service))


def event_of(ics: bytes) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def ics_attachment(message: Any) -> tuple[bytes, str]:
    attachments = [a for a in message.attachments if a.filename == "appointment.ics"]
    assert len(attachments) == 1
    content = attachments[0].content
    return (content.encode() if isinstance(content, str) else content), attachments[0].mimetype


# The calendar file


@pytest.mark.parametrize(
    ("zone", "local_day", "utc_hour"),
    [
        # London: GMT on Friday 26 March 2027, BST from Sunday 28 March.
        ("Europe/London", (2027, 3, 26), 10),
        ("Europe/London", (2027, 3, 29), 9),
        # Los Angeles: PST on Friday 12 March 2027, PDT from Sunday 14 March.
        ("America/Los_Angeles", (2027, 3, 12), 18),
        ("America/Los_Angeles", (2027, 3, 15), 17),
        # And back: BST until 31 October 2027, PDT until 7 November 2027.
        ("Europe/London", (2027, 10, 29), 9),
        ("Europe/London", (2027, 11, 1), 10),
        ("America/Los_Angeles", (2027, 11, 5), 17),
        ("America/Los_Angeles", (2027, 11, 8), 18),
    ],
)
def test_the_calendar_file_holds_the_right_utc_instants_across_a_clock_change(
    world: World, committing: Any, zone: str, local_day: tuple[int, int, int], utc_hour: int
) -> None:
    here = world if zone == "Europe/London" else la_world()
    start = at(ZoneInfo(zone), *local_day, 10)
    appointment = book_at(here, start, now=start - timedelta(days=20), committing=committing)

    _, event = event_of(appointment_ics(appointment))

    expected = datetime(*local_day, utc_hour, tzinfo=UTC)
    assert event.decoded("dtstart") == expected
    assert event.decoded("dtend") == expected.replace(minute=45)
    assert event["dtstart"].to_ical() == f"{expected:%Y%m%dT%H%M%S}Z".encode()


def test_the_calendar_file_describes_the_appointment(world: World, committing: Any) -> None:
    appointment = book_at(world, at(LONDON, 2026, 3, 2, 10), committing=committing)

    calendar, event = event_of(appointment_ics(appointment, method="REQUEST"))

    assert calendar["method"] == "REQUEST"
    assert event["uid"] == f"appointment-{appointment.pk}@book.example.org"
    assert event["status"] == "CONFIRMED"
    assert str(event["summary"]) == (f"{world.service.name} with {world.practitioner.display_name}")
    assert str(event["location"]) == f"{world.clinic.name}, {world.clinic.address}"
    assert "https://book.example.org/manage/" in str(event["description"])
    assert str(event["organizer"]) == f"mailto:{world.clinic.email}"
    assert str(event["attendee"]) == "mailto:sam.taylor@example.org"


def test_the_uid_is_stable_for_an_appointment(world: World, committing: Any) -> None:
    appointment = book_at(world, at(LONDON, 2026, 3, 2, 10), committing=committing)

    first = event_of(appointment_ics(appointment))[1]["uid"]
    again = event_of(appointment_ics(Appointment.objects.get(pk=appointment.pk)))[1]["uid"]

    assert first == again == event_uid(appointment)


# The confirmation


def test_the_confirmation_gives_the_local_time_with_its_zone_and_the_details(
    world: World, committing: Any
) -> None:
    Service.objects.filter(pk=world.service.pk).update(preparation="Bring shorts and a T-shirt.")
    world.service.refresh_from_db()
    appointment = book_at(world, at(LONDON, 2026, 3, 2, 10), committing=committing)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam.taylor@example.org"]
    assert message.subject == f"Booking confirmed: {world.service.name}, Mon 2 Mar, 10:00 GMT"
    body = message.body
    assert "Monday 2 March 2026 at 10:00 GMT" in body
    assert world.practitioner.display_name in body
    assert world.clinic.address in body
    assert "Bring shorts and a T-shirt." in body
    assert "£54.00 (includes £6.00 saving)" in body
    assert f"Reference: {appointment.pk}" in body
    assert "https://book.example.org/manage/" in body


def test_the_confirmation_has_an_html_part_and_a_request_calendar_file(
    world: World, committing: Any
) -> None:
    appointment = book_at(world, at(LONDON, 2026, 3, 2, 10), committing=committing)

    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en-GB">' in html
    assert "Monday 2 March 2026 at 10:00 GMT" in html
    assert 'href="https://book.example.org/manage/' in html
    ics, ics_type = ics_attachment(message)
    assert ics_type.startswith("text/calendar; method=REQUEST")
    calendar, event = event_of(ics)
    assert calendar["method"] == "REQUEST"
    assert event.decoded("dtstart") == appointment.start


def test_a_us_confirmation_writes_the_time_as_americans_do(committing: Any, db: None) -> None:
    world = la_world()
    start = at(LOS_ANGELES, 2027, 3, 12, 10)
    book_at(world, start, now=start - timedelta(days=20), committing=committing)

    body = mail.outbox[0].body
    assert "Friday, March 12, 2027 at 10:00 AM PST" in body
    assert "$120.00" in body
    assert "(310) 555-0142" in body


def test_the_emailed_link_opens_the_booking(
    world: World, committing: Any, client: Client, settings: Any
) -> None:
    settings.FACETCARE_SITE_URL = "http://testserver"
    now = timezone.now()
    day = (now.astimezone(LONDON) + timedelta(days=3)).date()
    start = datetime.combine(day, time(10), tzinfo=LONDON)
    appointment = book_at(world, start, now=now, committing=committing)

    url = re.search(r"http://testserver(/manage/\S+)", mail.outbox[0].body)
    assert url is not None
    response = client.get(urlsplit(url.group(0)).path)

    assert response.status_code == 200
    assert f"<dd>{appointment.pk}</dd>" in response.content.decode()


def test_the_summary_text_is_there_for_reminders(world: World, committing: Any) -> None:
    appointment = book_at(world, at(LONDON, 2026, 3, 2, 10), committing=committing)

    text = render_appointment_summary(appointment)
    without_link = render_appointment_summary(appointment, manage_link=False)

    assert "When:   Monday 2 March 2026 at 10:00 GMT" in text
    assert f"Where:  {world.clinic.name}, {world.clinic.address}" in text
    assert "https://book.example.org/manage/" in text
    assert "/manage/" not in without_link


# Moves and cancellations


def test_a_move_sends_one_email_from_the_old_time_to_the_new(world: World, committing: Any) -> None:
    appointment = book_at(world, at(LONDON, 2026, 3, 27, 10), committing=committing)
    mail.outbox.clear()

    with committing():
        moved = reschedule_appointment(
            appointment=appointment, new_start=at(LONDON, 2026, 3, 30, 11), now=NOW
        ).appointment

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Appointment moved: {world.service.name}, now Mon 30 Mar, 11:00 BST"
    assert "Was:    Friday 27 March 2026 at 10:00 GMT" in message.body
    assert "Now:    Monday 30 March 2026 at 11:00 BST" in message.body
    token = re.search(r"/manage/(\S+)/", message.body)
    assert token is not None
    assert str(moved.pk) in message.body
    calendar, event = event_of(ics_attachment(message)[0])
    assert calendar["method"] == "REQUEST"
    # The same event as the original booking's, one move later: calendars update it.
    assert event["uid"] == f"appointment-{appointment.pk}@book.example.org"
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == datetime(2026, 3, 30, 10, tzinfo=UTC)


def test_a_cancellation_email_carries_a_cancel_calendar_file_with_the_same_uid(
    world: World, committing: Any
) -> None:
    appointment = book_at(world, at(LONDON, 2026, 3, 2, 10), committing=committing)
    confirmed_uid = event_of(ics_attachment(mail.outbox[0])[0])[1]["uid"]
    mail.outbox.clear()

    with committing():
        cancel_appointment(appointment=appointment, now=NOW)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("Booking cancelled")
    assert "Monday 2 March 2026 at 10:00 GMT" in message.body
    assert "/manage/" not in message.body
    ics, mimetype = ics_attachment(message)
    assert mimetype.startswith("text/calendar; method=CANCEL")
    calendar, event = event_of(ics)
    assert calendar["method"] == "CANCEL"
    assert event["status"] == "CANCELLED"
    assert event["uid"] == confirmed_uid
    assert event["sequence"] == 1


def test_a_confirmation_for_a_booking_cancelled_before_it_went_is_not_sent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        appointment = book(
            service=world.service,
            clinic=world.clinic,
            practitioner=world.practitioner,
            start=at(LONDON, 2026, 3, 2, 10),
            now=NOW,
        ).appointment
    Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")

    for callback in queued:
        callback()

    assert mail.outbox == []


# Texts


def _opt_in_to_texts(appointment: Appointment) -> None:
    Patient.objects.filter(pk=appointment.patient_id).update(contact_by_sms=True)


def test_a_patient_who_opted_in_gets_a_text_for_each_change(
    world: World, committing: Any, texts: list[Any]
) -> None:
    first = book_at(world, at(LONDON, 2026, 3, 2, 10), committing=committing)
    assert texts == []  # not opted in yet
    _opt_in_to_texts(first)

    with committing():
        moved = reschedule_appointment(
            appointment=first, new_start=at(LONDON, 2026, 3, 3, 11), now=NOW
        ).appointment
    with committing():
        cancel_appointment(appointment=moved, now=NOW)

    assert [text.to for text in texts] == ["+447911123456", "+447911123456"]
    assert "has moved to Tue 3 Mar, 11:00 GMT" in texts[0].body
    assert "is cancelled" in texts[1].body
    assert "020 7123 4567" in texts[1].body
    assert all(len(text.body) <= 160 for text in texts)


def test_a_failing_text_does_not_stop_the_email(
    world: World, committing: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.FACETCARE_SMS_BACKEND = "facetcare.sms.BaseSmsBackend"  # send() raises
    patient = Patient.objects.create(
        first_name="Sam",
        last_name="Taylor",
        date_of_birth=datetime(1980, 5, 17, tzinfo=UTC).date(),
        email="sam.taylor@example.org",
        phone="+447911123456",
        contact_by_sms=True,
    )

    book_at(
        world,
        at(LONDON, 2026, 3, 2, 10),
        committing=committing,
        patient=patient,
        patient_details=None,
    )

    assert len(mail.outbox) == 1
    assert "Could not text patient" in caplog.text
