"""Booking by phone from a gap in the diary: find or enter the patient, choose service and time."""

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Service
from facetcare.patients.models import Patient
from tests.diary.conftest import NOW, TODAY, Desk
from tests.factories import local, make_patient, make_room, make_service

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return str(response.content.decode())


def gap_url(desk: Desk, hour: int = 10, **extra: Any) -> str:
    query = {
        "clinic": desk.clinic.pk,
        "practitioner": desk.priya.pk,
        "start": local(TODAY, hour).isoformat(timespec="minutes"),
        **extra,
    }
    return f"/diary/book/?{urlencode(query)}"


def post_data(desk: Desk, **values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "clinic": desk.clinic.pk,
        "practitioner": desk.priya.pk,
        "day": TODAY.isoformat(),
        "service": desk.follow_up.pk,
        "start": local(TODAY, 10).isoformat(),
    }
    return data | values


NEW_PATIENT = {
    "first_name": "Ada",
    "last_name": "Okafor",
    "date_of_birth": "1984-07-09",
    "email": "ada.okafor@example.org",
    "phone": "020 7946 0123",
}


def test_the_gap_opens_a_form_prefilled_with_clinic_practitioner_and_time(
    reception: Client, desk: Desk
) -> None:
    response = reception.get(gap_url(desk, 10, end=local(TODAY, 11).isoformat()))

    text = page(response)
    assert response.status_code == 200
    assert "Riverside" in text
    assert "Priya Raman" in text
    assert "Monday 2 March 2026" in text
    # Both services fit the hour; the earlier in the list is chosen.
    assert f'<option value="{desk.assessment.pk}" selected>' in text
    assert f'value="{local(TODAY, 10).isoformat()}" selected' in text


def test_a_short_gap_picks_a_service_that_fits_it(reception: Client, desk: Desk) -> None:
    response = reception.get(gap_url(desk, 10, end=local(TODAY, 10, 30).isoformat()))

    assert f'<option value="{desk.follow_up.pk}" selected>' in page(response)


@pytest.mark.parametrize("query", ["taylor", "sam tay", "17/05/1980", "1980-05-17", "07911 123456"])
def test_an_existing_patient_is_found_by_name_birth_date_or_phone(
    reception: Client, desk: Desk, query: str
) -> None:
    make_patient(first_name="Someone", last_name="Else", email="else@example.org",
                 date_of_birth=date(1990, 1, 1), phone="+442079460999")  # fmt: skip

    response = reception.get(gap_url(desk, q=query))

    assert response.status_code == 200
    assert "Sam Taylor" in page(response)
    assert "Someone Else" not in page(response)
    assert f"patient={desk.patient.pk}" in page(response)


def test_a_us_clinics_search_reads_a_birth_date_month_first(reception: Client, desk: Desk) -> None:
    # Given Sam Taylor, born 17 May 1980, and someone born 5 April 1980
    make_patient(first_name="Someone", last_name="Else", email="else@example.org",
                 date_of_birth=date(1980, 4, 5), phone="+442079460999")  # fmt: skip
    desk.clinic.locale = "en-US"
    desk.clinic.save()

    # When reception at a US clinic types 05/17/1980, then 04/05/1980
    may = page(reception.get(gap_url(desk, q="05/17/1980")))
    april = page(reception.get(gap_url(desk, q="04/05/1980")))

    # Then each is read month first, and the example says so
    assert "Sam Taylor" in may
    assert "Someone Else" in april
    assert "Sam Taylor" not in april
    assert "Name, date of birth (e.g. 05/17/1980) or phone number." in may


def test_the_live_search_answers_htmx_with_the_results_alone(reception: Client, desk: Desk) -> None:
    response = reception.get(
        gap_url(desk, q="tay"), headers={"HX-Request": "true", "HX-Target": "patient-results"}
    )

    assert response.status_code == 200
    assert page(response).startswith('<div id="patient-results"')
    assert "Sam Taylor" in page(response)


def test_a_too_short_search_says_so(reception: Client, desk: Desk) -> None:
    response = reception.get(gap_url(desk, q="t"))

    assert response.status_code == 400
    assert "Type at least 2 characters" in page(response)


def test_reception_books_an_existing_patient_by_phone(reception: Client, desk: Desk) -> None:
    response = reception.post("/diary/book/", post_data(desk, patient=desk.patient.pk), follow=True)

    booked = Appointment.objects.get()
    assert booked.patient == desk.patient
    assert booked.practitioner == desk.priya
    assert booked.start == local(TODAY, 10)
    assert booked.channel == "phone"
    assert booked.booked_by == desk.reception
    assert booked.price == booked.service.price  # no online discount by phone
    assert response.redirect_chain[-1][0].endswith(
        f"/diary/?clinic={desk.clinic.pk}&day=2026-03-02#appointment-{booked.pk}"
    )
    assert "Booked Sam Taylor for Physiotherapy follow-up with Priya Raman" in page(response)


def test_reception_books_a_new_patient_with_a_national_phone_number(
    reception: Client, desk: Desk
) -> None:
    response = reception.post("/diary/book/", post_data(desk, **NEW_PATIENT))

    assert response.status_code == 302
    patient = Patient.objects.get(last_name="Okafor")
    assert patient.phone == "+442079460123"
    assert Appointment.objects.get().patient == patient


def test_a_manager_may_book_but_a_physiotherapist_may_not(client: Client, desk: Desk) -> None:
    client.force_login(desk.physio)
    assert client.get(gap_url(desk)).status_code == 403
    assert client.post("/diary/book/", post_data(desk, **NEW_PATIENT)).status_code == 403

    client.force_login(desk.manager)
    assert client.post("/diary/book/", post_data(desk, **NEW_PATIENT)).status_code == 302
    assert Appointment.objects.count() == 1


def test_a_slot_taken_meanwhile_keeps_the_form_and_says_so(reception: Client, desk: Desk) -> None:
    desk.book(10)  # someone else takes 10:00 while reception is on the phone

    response = reception.post("/diary/book/", post_data(desk, **NEW_PATIENT))

    text = page(response)
    assert response.status_code == 409
    assert 'id="id_start_error"><li>That slot has just been taken; please choose' in text
    assert 'value="Ada"' in text  # what was typed is kept
    assert f'<option value="{local(TODAY, 10).isoformat()}"' not in text  # no longer offered
    assert f'<option value="{local(TODAY, 10, 30).isoformat()}"' in text
    assert Appointment.objects.count() == 1
    assert not Patient.objects.filter(last_name="Okafor").exists()


def test_a_start_that_cannot_be_booked_is_refused_next_to_the_time(
    reception: Client, desk: Desk
) -> None:
    response = reception.post(
        "/diary/book/", post_data(desk, start=local(TODAY, 18).isoformat(), **NEW_PATIENT)
    )

    assert response.status_code == 422
    assert 'id="start-field" class="field has-error"' in page(response)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("service", "999999", "Choose a service from the list"),
        ("service", "abc", "Choose a service from the list"),
        ("start", "", "Choose a time"),
        ("start", "tomorrow", "Choose a time from the list"),
        ("start", "2026-03-02T10:00", "Choose a time from the list"),
        ("first_name", "", "Enter the patient&#x27;s first name"),
        ("last_name", "", "Enter the patient&#x27;s last name"),
        ("date_of_birth", "", "Enter the patient&#x27;s date of birth"),
        (
            "date_of_birth",
            "31/02/1980",
            "Enter the patient&#x27;s date of birth as a real date, for example 17/05/1980",
        ),
        (
            "date_of_birth",
            "2030-01-01",
            "The patient&#x27;s date of birth cannot be in the future",
        ),
        ("date_of_birth", "1850-01-01", "Check the year of the patient&#x27;s date of birth"),
        ("email", "", "Enter the patient&#x27;s email"),
        ("email", "not-an-email", "Enter an email address"),
        ("phone", "", "Enter the patient&#x27;s phone"),
        ("phone", "12345", "Enter a phone number we can call or text"),
        ("first_name", "x" * 81, "Ensure this value has at most 80 characters"),
    ],
)
def test_each_bad_field_is_named_and_nothing_is_written(
    reception: Client, desk: Desk, field: str, value: str, message: str
) -> None:
    response = reception.post("/diary/book/", post_data(desk, **(NEW_PATIENT | {field: value})))

    text = page(response)
    assert response.status_code == 400
    assert message in text
    # The message is the field's own error list, which the field points to.
    assert f'id="id_{field}_error"><li>{message}' in text
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', text)
    assert not Appointment.objects.exists()
    assert not Patient.objects.filter(last_name="Okafor").exclude(pk=desk.patient.pk).exists()


def test_an_unknown_clinic_practitioner_or_patient_is_not_found(
    reception: Client, desk: Desk
) -> None:
    assert (
        reception.get(gap_url(desk).replace(f"clinic={desk.clinic.pk}", "clinic=999")).status_code
        == 404
    )
    assert reception.get(gap_url(desk, patient=999999)).status_code == 404
    missing = reception.get("/diary/book/?start=2026-03-02T10:00")
    assert missing.status_code == 400
    assert "Choose a clinic" in page(missing)


def test_without_javascript_the_times_follow_a_change_of_service(
    reception: Client, desk: Desk
) -> None:
    # The form's "Show times for this service" button resubmits it as a GET.
    data = post_data(desk, service=desk.assessment.pk, **NEW_PATIENT)

    response = reception.get("/diary/book/", data)

    text = page(response)
    assert response.status_code == 200
    assert f'<option value="{desk.assessment.pk}" selected>' in text
    assert 'value="Ada"' in text
    assert NOW.isoformat() not in text


def test_reception_adds_a_patient_to_a_class_with_places_left(
    reception: Client, desk: Desk
) -> None:
    pilates = make_service(
        name="Pilates", slug="pilates", category=Service.Category.CLASS, capacity=4,
        duration_minutes=55, required_equipment=["studio"],
    )  # fmt: skip
    make_room(desk.clinic, equipment=("studio",), capacity=4)
    desk.priya.services.add(pilates)
    desk.book(15, service=pilates)

    diary = page(reception.get("/diary/"))
    booked = reception.post(
        "/diary/book/",
        post_data(desk, service=pilates.pk, start=local(TODAY, 15).isoformat(), **NEW_PATIENT),
    )

    assert "1 of 4 places" in diary
    assert "Add a patient<span" in diary
    assert booked.status_code == 302
    assert Appointment.objects.filter(service=pilates, start=local(TODAY, 15)).count() == 2
