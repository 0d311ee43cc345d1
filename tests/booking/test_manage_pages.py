"""The manage pages a patient reaches from the link in their email: view, move, cancel.

Bookings here are made for real days ahead of the clock (the pages read it), in
the London clinic of ``conftest.world``, open 08:00-20:00 every day.
"""

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from facetcare.booking import manage
from facetcare.booking.models import Appointment
from facetcare.booking.tokens import manage_link_token, manage_token, read_manage_link
from facetcare.clinics.models import Practitioner, Service
from facetcare.errors import Conflict, PolicyRefused, SlotTaken
from tests.booking.conftest import World
from tests.factories import (
    book,
    days_ahead,
    local,
    make_clinic,
    make_practitioner,
    make_room,
    make_service,
    patient_details,
)


@pytest.fixture
def committing(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what the request queues on commit (its emails), as a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def booked(world: World, *, days: int = 2, hour: int = 10, **extra: Any) -> Appointment:
    now = timezone.now()
    zone = ZoneInfo(world.clinic.time_zone)
    day = (now.astimezone(zone) + timedelta(days=days)).date()
    result = book(
        service=world.service,
        clinic=world.clinic,
        practitioner=world.practitioner,
        start=datetime.combine(day, time(hour), tzinfo=zone),
        now=now,
        **extra,
    )
    mail.outbox.clear()
    return result.appointment


def page(appointment: Appointment, name: str = "manage") -> str:
    return reverse(f"booking:{name}", kwargs={"token": manage_link_token(appointment)})


def choice(start: datetime, practitioner: Practitioner) -> str:
    return f"{start.astimezone(UTC):%Y%m%dT%H%MZ}.{practitioner.pk}"


def state(appointment: Appointment) -> tuple[str, int]:
    appointment.refresh_from_db()
    return appointment.status, Appointment.objects.count()


# Seeing the booking


def links_to(html: str, appointment: Appointment, action: str = "") -> bool:
    """Whether the page links to ``appointment``'s manage page (or its ``action``). Links
    are signed with the second they are made in, so what each opens is compared."""
    tail = f"{action}/" if action else ""
    for path in re.findall(rf'href="(/manage/[^"/]+/{tail})"', html):
        token = resolve(path).kwargs["token"]
        if read_manage_link(token, now=timezone.now()).appointment_id == appointment.pk:
            return True
    return False


def test_the_link_shows_the_booking_in_the_clinics_time_and_language(
    client: Client, world: World
) -> None:
    appointment = booked(world, days=2, hour=10)

    response = client.get(page(appointment))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-GB">' in html
    assert "<title>Your appointment · " in html
    assert world.service.name in html
    assert world.practitioner.display_name in html
    assert world.clinic.address in html
    assert 'href="tel:+442071234567"' in html
    assert "020 7123 4567" in html
    assert "10:00 <abbr" in html
    day = days_ahead(timezone.now(), 2)
    assert f"{day.day} {day:%B %Y}" in html
    assert "Booked" in html
    assert links_to(html, appointment, "reschedule")
    assert links_to(html, appointment, "cancel")
    assert client.head(page(appointment)).status_code == 200
    assert client.post(page(appointment)).status_code == 405


def test_a_us_clinics_booking_reads_as_americans_write_times(client: Client, db: None) -> None:
    clinic = make_clinic(
        time_zone="America/Los_Angeles", locale="en-US", phone="+13105550142", currency="USD"
    )
    make_room(clinic)
    service = make_service()
    practitioner = make_practitioner(clinic, service)
    appointment = booked(World(clinic, clinic.rooms.get(), service, practitioner), hour=14)
    local_start = manage.local_start(appointment)

    response = client.get(page(appointment))

    html = response.content.decode()
    assert '<html lang="en-US">' in html
    assert local_start.hour == 14
    assert "2:00 PM <abbr" in html
    assert f">{local_start.tzname()}</abbr>" in html
    assert f"{local_start:%B} {local_start.day}, {local_start.year}" in html
    assert "(310) 555-0142" in html
    assert "$" in html


def test_a_cancelled_booking_shows_as_cancelled_without_actions(
    client: Client, world: World
) -> None:
    appointment = booked(world)
    client.post(page(appointment, "cancel"))

    response = client.get(page(appointment))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Appointment cancelled" in html
    assert not links_to(html, appointment, "reschedule")
    assert 'href="tel:+442071234567"' in html


def test_the_day_a_booking_was_cancelled_is_the_clinics_day_not_utcs(
    client: Client, db: None
) -> None:
    # Given a Los Angeles booking cancelled at 18:00 local time on 11 January, when
    # it is already 12 January in UTC
    clinic = make_clinic(
        time_zone="America/Los_Angeles", locale="en-US", phone="+13105550142", currency="USD"
    )
    make_room(clinic)
    service = make_service()
    practitioner = make_practitioner(clinic, service)
    appointment = booked(World(clinic, clinic.rooms.get(), service, practitioner), hour=14)
    cancelled_at = datetime(2027, 1, 12, 2, 0, tzinfo=UTC)
    Appointment.objects.filter(pk=appointment.pk).update(
        status=Appointment.Status.CANCELLED, cancelled_at=cancelled_at
    )

    # When the patient opens the link
    html = client.get(page(appointment)).content.decode()

    # Then the page names the clinic's day
    assert "cancelled on Monday, January 11, 2027" in html


def test_the_old_link_of_a_moved_booking_shows_where_it_went(client: Client, world: World) -> None:
    appointment = booked(world, days=2, hour=10)
    new_start = local(days_ahead(timezone.now(), 3), 11)
    client.post(page(appointment, "reschedule"), {"time": choice(new_start, world.practitioner)})
    moved = Appointment.objects.get(rescheduled_from=appointment)

    response = client.get(page(appointment))

    html = response.content.decode()
    assert "This appointment has moved" in html
    assert "11:00 GMT" in html
    assert links_to(html, moved)


# Moving it


def test_the_reschedule_page_lists_a_days_free_times(client: Client, world: World) -> None:
    appointment = booked(world, days=2, hour=10)
    day = days_ahead(timezone.now(), 3)

    response = client.get(page(appointment, "reschedule"), {"day": day.isoformat()})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Change your appointment" in html
    assert f'value="{choice(local(day, 8), world.practitioner)}"' in html
    assert f'value="{choice(local(day, 19, 15), world.practitioner)}"' in html
    assert 'aria-current="date"' in html
    assert "Morning" in html
    assert "Evening" in html


def test_the_times_offered_include_every_practitioner_who_provides_the_service(
    client: Client, world: World
) -> None:
    other = make_practitioner(world.clinic, world.service)
    make_room(world.clinic)
    appointment = booked(world, days=2, hour=10)

    response = client.get(
        page(appointment, "reschedule"), {"day": appointment.start.date().isoformat()}
    )

    html = response.content.decode()
    # At 10:00 the booking's own practitioner is busy (with this booking): the other is offered.
    assert f'value="{choice(appointment.start, other)}"' in html
    # Elsewhere the booking's own practitioner is offered first.
    assert f'value="{choice(local(appointment.start.date(), 14), world.practitioner)}"' in html


def test_picking_a_day_with_htmx_swaps_only_the_picker(client: Client, world: World) -> None:
    appointment = booked(world)
    day = days_ahead(timezone.now(), 4)

    response = client.get(
        page(appointment, "reschedule"), {"day": day.isoformat()}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="picker"')
    assert "<html" not in html
    assert f'value="{choice(local(day, 9), world.practitioner)}"' in html


def test_moving_a_booking_books_the_new_time_and_emails_once(
    client: Client, world: World, committing: Any
) -> None:
    appointment = booked(world, days=2, hour=10)
    new_start = local(days_ahead(timezone.now(), 3), 11)

    with committing():
        response = client.post(
            page(appointment, "reschedule"), {"time": choice(new_start, world.practitioner)}
        )

    moved = Appointment.objects.get(rescheduled_from=appointment)
    assert response.status_code == 302
    # The link is signed afresh (with the second it was made in), so compare what it opens.
    target = resolve(response["Location"])
    assert target.view_name == "booking:manage"
    assert read_manage_link(target.kwargs["token"], now=timezone.now()).appointment_id == moved.pk
    assert moved.start == new_start
    assert moved.status == "booked"
    assert state(appointment) == ("cancelled", 2)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Appointment moved")
    followed = client.get(response["Location"])
    assert "Your appointment has moved to" in followed.content.decode()


def test_a_second_submission_of_the_same_move_changes_nothing(
    client: Client, world: World, committing: Any
) -> None:
    appointment = booked(world, days=2, hour=10)
    data = {"time": choice(local(days_ahead(timezone.now(), 3), 11), world.practitioner)}
    with committing():
        client.post(page(appointment, "reschedule"), data)

    with committing():
        again = client.post(page(appointment, "reschedule"), data, follow=True)

    moved = Appointment.objects.get(rescheduled_from=appointment)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == page(moved)
    assert "already moved" in again.content.decode()
    assert Appointment.objects.count() == 2
    assert len(mail.outbox) == 1


def test_a_time_taken_meanwhile_returns_to_the_list_with_a_message(
    client: Client, world: World
) -> None:
    appointment = booked(world, days=2, hour=10)
    wanted = local(days_ahead(timezone.now(), 3), 11)
    book(
        service=world.service,
        clinic=world.clinic,
        practitioner=world.practitioner,
        start=wanted,
        now=timezone.now(),
        patient_details=patient_details(last_name="Other", email="other@example.org"),
    )

    response = client.post(
        page(appointment, "reschedule"), {"time": choice(wanted, world.practitioner)}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "That time is no longer free; please choose another time" in html
    assert 'id="time-errors"' in html
    assert 'name="time"' in html  # the time list, to choose again
    assert state(appointment) == ("booked", 2)


def test_a_slot_lost_in_the_last_instant_is_reported_next_to_the_times(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    appointment = booked(world, days=2, hour=10)

    def lose_the_race(**_: Any) -> None:
        raise SlotTaken("That slot has just been taken; please choose another time.")

    monkeypatch.setattr("facetcare.booking.views.reschedule_appointment", lose_the_race)
    wanted = local(days_ahead(timezone.now(), 3), 11)

    response = client.post(
        page(appointment, "reschedule"), {"time": choice(wanted, world.practitioner)}
    )

    assert response.status_code == 409
    assert "That slot has just been taken" in response.content.decode()
    assert state(appointment) == ("booked", 1)


def test_a_move_the_clinical_policy_refuses_is_explained_next_to_the_times(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    appointment = booked(world, days=2, hour=10)

    def refuse(**_: Any) -> None:
        raise PolicyRefused("A third injection within six months is not allowed.")

    monkeypatch.setattr("facetcare.booking.views.reschedule_appointment", refuse)
    wanted = local(days_ahead(timezone.now(), 3), 11)

    response = client.post(
        page(appointment, "reschedule"), {"time": choice(wanted, world.practitioner)}
    )

    assert response.status_code == 409
    assert "A third injection within six months is not allowed." in response.content.decode()
    assert state(appointment) == ("booked", 1)


def test_the_booking_changing_meanwhile_is_reported_not_treated_as_an_error(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    appointment = booked(world, days=2, hour=10)

    def changed_meanwhile(**_: Any) -> None:
        Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")
        raise Conflict("This booking is no longer active, so it cannot be changed")

    monkeypatch.setattr("facetcare.booking.views.reschedule_appointment", changed_meanwhile)
    wanted = local(days_ahead(timezone.now(), 3), 11)

    response = client.post(
        page(appointment, "reschedule"), {"time": choice(wanted, world.practitioner)}, follow=True
    )

    assert response.status_code == 200
    assert "already cancelled" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({}, 400, "Choose one of the free times"),
        ({"time": "tomorrow please"}, 422, "Choose one of the free times listed"),
        ({"time": "x" * 41}, 400, "Choose one of the free times listed"),
        ({"time": "20270101T0900Z.abc"}, 422, "Choose one of the free times listed"),
        ({"time": "20200101T0900Z.1"}, 409, "That time is no longer free"),
    ],
)
def test_a_bad_time_is_refused_next_to_the_list_and_nothing_changes(
    client: Client, world: World, data: dict[str, str], status: int, message: str
) -> None:
    appointment = booked(world)

    response = client.post(page(appointment, "reschedule"), data)

    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert 'id="time-errors"' in html
    assert state(appointment) == ("booked", 1)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("next tuesday", "Enter a date, for example 2027-01-12"),
        ("2020-01-01", "Choose a day from"),
        ("2999-01-01", "Choose a day from"),
    ],
)
def test_a_bad_day_is_refused_next_to_the_day_field(
    client: Client, world: World, day: str, message: str
) -> None:
    appointment = booked(world)

    response = client.get(page(appointment, "reschedule"), {"day": day})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="field has-error"' in html
    assert 'name="time"' not in html


def test_a_time_at_another_clinic_cannot_be_chosen(client: Client, world: World) -> None:
    elsewhere = make_clinic()
    make_room(elsewhere)
    stranger = make_practitioner(elsewhere, world.service)
    appointment = booked(world)
    wanted = local(days_ahead(timezone.now(), 3), 11)

    response = client.post(page(appointment, "reschedule"), {"time": choice(wanted, stranger)})

    assert response.status_code == 409
    assert state(appointment) == ("booked", 1)


# Cancelling it


def test_cancelling_asks_first_then_cancels_and_emails(
    client: Client, world: World, committing: Any
) -> None:
    appointment = booked(world)

    asked = client.get(page(appointment, "cancel"))
    assert asked.status_code == 200
    assert "Cancel your appointment?" in asked.content.decode()
    assert state(appointment) == ("booked", 1)

    with committing():
        response = client.post(
            page(appointment, "cancel"), {"reason": "feeling better"}, follow=True
        )

    assert response.status_code == 200
    assert "Your appointment is cancelled" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert appointment.cancellation_reason == "Cancelled by the patient online: I am feeling better"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Booking cancelled")


def test_cancelling_twice_is_answered_kindly_and_emails_once(
    client: Client, world: World, committing: Any
) -> None:
    appointment = booked(world)
    with committing():
        client.post(page(appointment, "cancel"))

    with committing():
        again = client.post(page(appointment, "cancel"), follow=True)

    assert again.status_code == 200
    assert "already cancelled" in again.content.decode()
    assert len(mail.outbox) == 1


def test_an_unknown_cancellation_reason_is_refused_next_to_the_field(
    client: Client, world: World
) -> None:
    appointment = booked(world)

    response = client.post(page(appointment, "cancel"), {"reason": "<script>"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose one of the reasons listed" in html
    assert 'class="field has-error"' in html
    assert state(appointment) == ("booked", 1)
    assert mail.outbox == []


# Too late to change online


def _inside_the_notice(appointment: Appointment) -> None:
    Service.objects.filter(pk=appointment.service_id).update(min_notice_minutes=14 * 24 * 60)


def test_inside_the_minimum_notice_the_page_gives_the_phone_instead_of_buttons(
    client: Client, world: World
) -> None:
    appointment = booked(world)
    _inside_the_notice(appointment)

    response = client.get(page(appointment))

    html = response.content.decode()
    assert response.status_code == 200
    assert "It is too late to change this appointment online" in html
    assert "at least 14 days notice" in html
    assert 'href="tel:+442071234567"' in html
    assert "Monday to Sunday: 08:00–20:00" in html
    assert not links_to(html, appointment, "reschedule")
    assert not links_to(html, appointment, "cancel")


@pytest.mark.parametrize("action", ["reschedule", "cancel"])
def test_inside_the_minimum_notice_changes_are_refused_on_get_and_post(
    client: Client, world: World, action: str
) -> None:
    appointment = booked(world)
    _inside_the_notice(appointment)
    wanted = local(days_ahead(timezone.now(), 3), 11)

    shown = client.get(page(appointment, action))
    posted = client.post(page(appointment, action), {"time": choice(wanted, world.practitioner)})

    for response in (shown, posted):
        assert response.status_code == 403
        assert "It is too late to change this appointment online" in response.content.decode()
        assert 'href="tel:+442071234567"' in response.content.decode()
    assert state(appointment) == ("booked", 1)
    assert mail.outbox == []


def test_a_service_only_staff_book_can_be_cancelled_but_not_moved_online(
    client: Client, world: World
) -> None:
    appointment = booked(world)
    Service.objects.filter(pk=world.service.pk).update(online_bookable=False)
    wanted = local(days_ahead(timezone.now(), 3), 11)

    shown = client.get(page(appointment))
    moved = client.post(
        page(appointment, "reschedule"), {"time": choice(wanted, world.practitioner)}
    )

    assert page(appointment, "reschedule") not in shown.content.decode()
    assert page(appointment, "cancel") in shown.content.decode()
    assert moved.status_code == 403
    assert state(appointment) == ("booked", 1)


# Links that open nothing


def test_an_expired_link_gets_a_410_page_with_the_clinics_phone(
    client: Client, world: World
) -> None:
    then = datetime(2020, 3, 2, 7, tzinfo=UTC)
    old = book(
        service=world.service,
        clinic=world.clinic,
        practitioner=world.practitioner,
        start=local(then.date(), 10),
        now=then,
    ).appointment

    response = client.get(page(old))

    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html
    assert 'href="tel:+442071234567"' in html


@pytest.mark.parametrize("mangle", ["drop_last", "swap_char", "garbage"])
def test_an_altered_link_gets_a_404_page(client: Client, world: World, mangle: str) -> None:
    token = manage_link_token(booked(world))
    altered = {
        "drop_last": token[:-1],
        "swap_char": token[:5] + ("A" if token[5] != "A" else "B") + token[6:],
        "garbage": "not-a-token",
    }[mangle]

    for name in ("manage", "reschedule", "cancel"):
        response = client.get(reverse(f"booking:{name}", kwargs={"token": altered}))
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert client.post(reverse("booking:cancel", kwargs={"token": altered})).status_code == 404
    assert Appointment.objects.filter(status="cancelled").count() == 0


def test_a_link_cannot_be_pointed_at_another_booking(client: Client, world: World) -> None:
    mine = booked(world, days=2, hour=10)
    theirs = booked(
        world,
        days=2,
        hour=15,
        patient_details=patient_details(last_name="Other", email="other@example.org"),
    )
    expires = int((theirs.end + timedelta(days=1)).timestamp())
    # A validly signed link naming their booking but carrying my booking's token...
    forged = signing.dumps(
        {"a": theirs.pk, "t": manage_token(mine), "x": expires},
        salt="facetcare.booking.manage-link",
    )
    # ... and one signed with a wrong key.
    unsigned = signing.dumps(
        {"a": theirs.pk, "t": manage_token(theirs), "x": expires},
        key="not-the-site-key",
        salt="facetcare.booking.manage-link",
    )

    for token in (forged, unsigned):
        assert client.get(reverse("booking:manage", kwargs={"token": token})).status_code == 404
        client.post(reverse("booking:cancel", kwargs={"token": token}))
    mine_page = client.get(page(mine)).content.decode()

    assert state(theirs) == ("booked", 2)
    assert "15:00" not in mine_page
    assert "Other" not in mine_page


def test_a_link_dies_when_its_booking_secret_changes(client: Client, world: World) -> None:
    appointment = booked(world)
    url = page(appointment)
    Appointment.objects.filter(pk=appointment.pk).update(manage_secret="replaced")

    response = client.get(url)

    assert response.status_code == 404
    assert 'href="tel:+442071234567"' in response.content.decode()


def test_the_pages_are_rate_limited_per_client(client: Client, world: World, settings: Any) -> None:
    appointment = booked(world)
    settings.RATELIMIT_ENABLE = True
    settings.FACETCARE_PUBLIC_RATE = "2/m"
    cache.clear()

    statuses = [client.get(page(appointment)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    cache.clear()
