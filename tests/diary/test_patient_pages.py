"""Patient search by name, date of birth or phone, and the patient page's bookings."""

from datetime import date

import pytest
from django.test import Client

from facetcare.booking.services import cancel_appointment
from facetcare.patients.selectors import search_patients
from tests.diary.conftest import NOW, Desk
from tests.factories import local, make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db: None) -> dict[str, int]:
    people = {
        "sam": make_patient(first_name="Sam", last_name="Taylor"),
        "samira": make_patient(
            first_name="Samira", last_name="Iqbal", email="samira@example.org",
            date_of_birth=date(1990, 1, 2), phone="+12135550123",
        ),
        "ann": make_patient(
            first_name="Ann", last_name="Samuels", email="ann@example.org",
            date_of_birth=date(1975, 11, 30), phone="+441614960555",
        ),
    }  # fmt: skip
    return {name: patient.pk for name, patient in people.items()}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("taylor", {"sam"}),
        ("sam", {"sam", "samira", "ann"}),  # first names and last names alike
        ("sam tay", {"sam"}),
        ("17/05/1980", {"sam"}),
        ("1980-05-17", {"sam"}),
        ("30/11/1975", {"ann"}),
        ("Samuels 30/11/1975", {"ann"}),
        ("07911 123456", {"sam"}),  # national form of +447911123456
        ("+44 7911 123456", {"sam"}),
        ("(213) 555-0123", {"samira"}),
        ("0161 496 0555", {"ann"}),
        ("12345", set()),  # too few digits to mean a number
        ("nobody", set()),
    ],
)
def test_patients_are_found_by_name_birth_date_or_phone(
    register: dict[str, int], query: str, found: set[str]
) -> None:
    result = {p.pk for p in search_patients(query=query)}

    assert result == {register[name] for name in found}


def test_the_search_page_takes_any_of_them(reception: Client, desk: Desk) -> None:
    by_phone = reception.get("/patients/", {"q": "07911 123456"}).content.decode()
    by_birth = reception.get("/patients/", {"q": "17/05/1980"}).content.decode()
    too_short = reception.get("/patients/", {"q": "t"})

    assert "Taylor, Sam" in by_phone
    assert "07911 123456" in by_phone  # written as people write it
    assert "Taylor, Sam" in by_birth
    assert too_short.status_code == 400
    assert "Type at least 2 characters" in too_short.content.decode()


def test_the_patient_page_lists_upcoming_and_past_bookings_apart(
    reception: Client, desk: Desk
) -> None:
    coming = desk.book(10)
    gone = desk.book(9, start=local(date(2026, 2, 23), 9), now=local(date(2026, 2, 1), 9))
    cancelled = desk.book(14)
    cancel_appointment(appointment=cancelled, reason="Patient unwell", now=NOW)

    page = reception.get(f"/patients/{desk.patient.pk}/").content.decode()

    upcoming = page[page.index("Upcoming bookings") : page.index("Past bookings")]
    past = page[page.index("Past bookings") :]
    assert f"/diary/appointments/{coming.pk}/" in upcoming
    assert f"/diary/appointments/{coming.pk}/move/" in upcoming
    assert f"/diary/appointments/{cancelled.pk}/" in upcoming  # still in the future, cancelled
    assert "Patient unwell" in upcoming
    assert f"/diary/appointments/{gone.pk}/" in past
    assert f"/diary/appointments/{gone.pk}/" not in upcoming
    assert upcoming.index("Monday 2 March 2026, 10:00") < upcoming.index("14:00")
