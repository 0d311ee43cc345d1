"""The diary's day and week pages: who may open them, what they show, how fast."""

import re
from datetime import time
from decimal import Decimal

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from facetcare.booking.models import Appointment
from facetcare.booking.services import cancel_appointment
from facetcare.clinics.models import Closure, TimeOff
from tests.diary.conftest import NOW, TODAY, Desk
from tests.factories import local, make_clinic, make_patient, make_practitioner, make_room

pytestmark = pytest.mark.django_db


def body(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_anyone_signed_out_is_sent_to_sign_in(client: Client, desk: Desk) -> None:
    response = client.get("/diary/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_referrer_may_not_open_the_diary(client: Client, desk: Desk) -> None:
    client.force_login(desk.referrer)

    assert client.get("/diary/").status_code == 403
    assert client.get("/diary/week/").status_code == 403


def test_reception_sees_a_column_per_practitioner_with_bookings_and_free_time(
    reception: Client, desk: Desk
) -> None:
    booked = desk.book(10)

    response = reception.get(f"/diary/?clinic={desk.clinic.pk}&day=2026-03-02")

    page = body(response)
    assert response.status_code == 200
    assert page.index("Tom Ashworth") < page.index("Priya Raman")  # by last name
    assert f'id="appointment-{booked.pk}"' in page
    assert "Sam Taylor" in page
    assert "Treatment room 1" in page
    # The status is written, not only coloured.
    assert re.search(r'class="status status-booked">Booked<', page)
    assert "Free 09:00–10:00 · <span" in page  # before Priya's 10:00 booking
    assert "Free 10:30–17:00" in page
    assert "Free 09:00–17:00" in page  # Tom's whole day


def test_a_physiotherapist_can_see_the_diary(client: Client, desk: Desk) -> None:
    client.force_login(desk.physio)

    response = client.get("/diary/")

    assert response.status_code == 200
    assert "Riverside" in body(response)


def test_a_free_gap_links_to_a_phone_booking_prefilled_with_who_and_when(
    reception: Client, desk: Desk
) -> None:
    response = reception.get("/diary/")

    link = re.search(
        rf'href="(/diary/book/\?clinic={desk.clinic.pk}&amp;practitioner={desk.priya.pk}[^"]+)"',
        body(response),
    )
    assert link is not None
    assert "start=2026-03-02T09%3A00%2B00%3A00" in link.group(1)
    assert "end=2026-03-02T17%3A00%2B00%3A00" in link.group(1)


def test_gaps_start_from_now_and_past_days_offer_none(reception: Client, desk: Desk) -> None:
    yesterday = reception.get("/diary/?day=2026-03-01")

    assert "Free " not in body(yesterday)
    assert "Book</span>" not in body(yesterday)


def test_time_off_and_closures_are_shown_and_leave_no_gap(reception: Client, desk: Desk) -> None:
    TimeOff.objects.create(
        practitioner=desk.tom, start=local(TODAY, 9), end=local(TODAY, 13), reason="Course"
    )
    Closure.objects.create(
        clinic=desk.clinic, first_day=TODAY.replace(day=3), last_day=TODAY.replace(day=3),
        reason="Staff training",
    )  # fmt: skip

    today = body(reception.get("/diary/"))
    tomorrow = body(reception.get("/diary/?day=2026-03-03"))

    assert "Time off 09:00–13:00" in today
    assert "Free 13:00–17:00" in today
    assert "Closed: Staff training" in tomorrow
    assert "Free " not in tomorrow


def test_cancelled_bookings_are_listed_apart_with_their_reason(
    reception: Client, desk: Desk
) -> None:
    booked = desk.book(11)
    cancel_appointment(appointment=booked, reason="Patient unwell", now=NOW)

    page = body(reception.get("/diary/"))

    assert "Cancelled and moved" in page
    assert "Patient unwell" in page
    assert f'id="appointment-{booked.pk}"' not in page
    assert "Free 09:00–17:00" in page  # the slot is free again


def test_a_us_clinic_page_speaks_en_us_with_its_own_times(client: Client, desk: Desk) -> None:
    clinic = make_clinic(
        name="West Hills", slug="west-hills", time_zone="America/Los_Angeles", locale="en-US",
        phone="+18185550100",
    )  # fmt: skip
    make_room(clinic)
    make_practitioner(clinic, desk.follow_up, hours=(time(13), time(17)), first_name="Kayla")
    client.force_login(desk.reception)

    page = body(client.get(f"/diary/?clinic={clinic.pk}&day=2026-03-02"))

    assert '<html lang="en-US">' in page
    assert "Monday, March 2, 2026" in page
    assert "Free 1:00 PM–5:00 PM" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("clinic=abc", "Choose a clinic from the list"),
        ("clinic=999999", "Choose a clinic from the list"),
        ("day=2026-02-30", "Enter a date"),
        ("day=yesterday", "Enter a date"),
        ("day=1066-10-14", "Choose a day between 2000 and 2100"),
    ],
)
def test_bad_choices_get_a_message_next_to_the_field(
    reception: Client, desk: Desk, query: str, message: str
) -> None:
    for page in ("/diary/", "/diary/week/"):
        response = reception.get(f"{page}?{query}")

        assert response.status_code == 400
        assert message in body(response)


def test_the_week_shows_bookings_and_free_time_per_practitioner_and_day(
    reception: Client, desk: Desk
) -> None:
    desk.book(10)
    desk.book(11)

    response = reception.get("/diary/week/?day=2026-03-04")  # a Wednesday

    page = body(response)
    assert response.status_code == 200
    assert "Week of Monday 2 March 2026" in page
    assert "2 booked" in page
    assert "7 h free" in page  # Priya: 8 hours less two half hours
    assert "8 h free" in page  # Tom, and both on later days
    assert 'href="/diary/?clinic=' in page


def _fill_the_day(desk: Desk, practitioners: int) -> None:
    """``practitioners`` more practitioners at the clinic, each with a full day of bookings."""
    for n in range(practitioners):
        practitioner = make_practitioner(desk.clinic, desk.follow_up, hours=(time(9), time(17)))
        room = make_room(desk.clinic)
        patient = make_patient(last_name=f"Patient{n}", email=f"p{n}@example.org")
        for slot in range(16):
            start = local(TODAY, 9 + slot // 2, 30 * (slot % 2))
            Appointment.objects.create(
                patient=patient, service=desk.follow_up, clinic=desk.clinic,
                practitioner=practitioner, room=room, start=start,
                end=start + (local(TODAY, 9, 30) - local(TODAY, 9)),
                occupied_start=start, occupied_end=start + (local(TODAY, 9, 30) - local(TODAY, 9)),
                session_key=f"appt:{practitioner.pk}:{slot}", channel="phone",
                price=Decimal("45"), currency="GBP",
            )  # fmt: skip


def test_the_day_costs_the_same_queries_for_a_quiet_or_a_full_clinic(
    reception: Client, desk: Desk, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    url = f"/diary/?clinic={desk.clinic.pk}&day=2026-03-02"
    desk.book(10)
    reception.get(url)  # the session and the content types are warm afterwards

    # Session, user, roles; clinics, working hours, opening hours, closures,
    # appointments, time off.
    with django_assert_num_queries(9):
        quiet = reception.get(url)
    _fill_the_day(desk, practitioners=10)
    with django_assert_num_queries(9):
        full = reception.get(url)

    assert quiet.status_code == full.status_code == 200
    assert body(full).count('class="appt status-booked') == 1 + 10 * 16


def test_a_physiotherapist_sees_free_time_but_no_booking_links(client: Client, desk: Desk) -> None:
    client.force_login(desk.physio)

    page = body(client.get("/diary/"))

    assert "Free 09:00–17:00" in page
    assert "/diary/book/" not in page


def test_the_diary_opens_on_the_first_clinic_the_user_works_at(client: Client, desk: Desk) -> None:
    # "Abbey" sorts before "Riverside"; Priya works only at Riverside.
    make_clinic(name="Abbey", slug="abbey")

    client.force_login(desk.physio)
    mine = body(client.get("/diary/"))
    client.force_login(desk.reception)
    first = body(client.get("/diary/"))

    assert "<h1>Riverside" in mine
    assert "<h1>Abbey" in first


def test_the_diarys_waitlist_link_opens_that_clinics_waiting_list(
    reception: Client, desk: Desk
) -> None:
    diary = body(reception.get(f"/diary/?clinic={desk.clinic.pk}&day={TODAY.isoformat()}"))
    link = re.search(r'href="(/waitlist/\?clinic=[^"]*)">Waitlist</a>', diary)

    assert link is not None
    response = reception.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert desk.clinic.slug in link.group(1)
