from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from facetcare.booking.models import Appointment
from facetcare.booking.tokens import read_manage_link
from facetcare.clinics.models import Clinic, Locale
from facetcare.patients.models import Patient
from facetcare.public import journey
from tests.factories import book, patient_details
from tests.public.conftest import PublicWorld

pytestmark = pytest.mark.django_db

GOOD = {
    "first_name": "Sam",
    "last_name": "Taylor",
    "date_of_birth": "17/05/1980",
    "email": "sam.taylor@example.org",
    "phone": "07911 123456",
    "consent": "on",
}


def details_url(world: PublicWorld, start: datetime, service: str = "assessment") -> str:
    query = urlencode({"start": start.isoformat(), "practitioner": world.physio.pk})
    if service == "pilates":
        query = urlencode({"start": start.isoformat(), "practitioner": world.instructor.pk})
    return f"/book/riverside/{service}/details/?{query}"


def fill_details(client: Client, world: PublicWorld, start: datetime, **changes: str) -> Any:
    url = details_url(world, start)
    page = client.get(url)
    key = page.context["form"].initial["key"]
    return client.post(url, {**GOOD, "key": key, **changes})


def test_the_details_page_shows_the_chosen_time_and_a_fresh_key(
    client: Client, world: PublicWorld
) -> None:
    response = client.get(details_url(world, world.at(10)))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Step 4 of 5" in body
    assert f"{world.future_day:%A} {world.future_day.day} {world.future_day:%B %Y} at 10:00" in body
    assert "with Priya Raman" in body
    assert 'name="key" value="web-' in body
    for label in ("First name", "Last name", "Date of birth", "Email address", "Mobile or phone"):
        assert f">{label}" in body


def test_each_visit_to_the_details_form_gets_a_new_key(client: Client, world: PublicWorld) -> None:
    first = client.get(details_url(world, world.at(10))).context["form"].initial["key"]
    second = client.get(details_url(world, world.at(10))).context["form"].initial["key"]

    assert first != second


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter your first name"),
        ("first_name", "  ", "Enter your first name"),
        ("last_name", "", "Enter your last name"),
        ("last_name", "123", "Your last name needs at least one letter"),
        ("date_of_birth", "", "Enter your date of birth"),
        ("date_of_birth", "31/02/1980", "Enter your date of birth as a real date"),
        ("date_of_birth", "2999-01-01", "Your date of birth cannot be in the future"),
        ("date_of_birth", "1850-01-01", "Check the year of your date of birth"),
        ("email", "", "Enter your email address"),
        ("email", "sam at example", "Enter an email address like name@example.com"),
        ("phone", "", "Enter your phone number"),
        ("phone", "12345", "Enter a phone number we can call or text"),
        ("phone", "07700 900123", "Enter a phone number we can call or text"),
        ("consent", "", "Tick the box to agree to messages about this booking"),
    ],
)
def test_bad_details_get_a_message_next_to_the_field_and_nothing_is_kept(
    client: Client, world: PublicWorld, field: str, value: str, message: str
) -> None:
    response = fill_details(client, world, world.at(10), **{field: value})

    body = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [response.context["form"].errors[field][0]]
    assert message in response.context["form"].errors[field][0]
    group = body[body.index(f'for="id_{field}"') - 200 :]
    assert message in group[: group.index(f'id="id_{field}"', group.index("<input") - 1) + 300]
    assert journey.PENDING not in client.session
    assert not Patient.objects.exists()
    assert not Appointment.objects.exists()


def test_good_details_go_to_confirm_with_the_phone_in_e164(
    client: Client, world: PublicWorld
) -> None:
    response = fill_details(client, world, world.at(10))

    assert response.status_code == 302
    assert response["Location"] == "/book/riverside/assessment/confirm/"
    assert client.session[journey.DETAILS]["phone"] == "+447911123456"
    assert not Appointment.objects.exists()


def test_a_us_clinic_reads_a_us_number_and_a_month_first_date(
    client: Client, world: PublicWorld
) -> None:
    Clinic.objects.filter(pk=world.clinic.pk).update(locale=Locale.EN_US)

    response = fill_details(
        client, world, world.at(10), phone="(213) 555-0123", date_of_birth="05/17/1980"
    )

    assert response.status_code == 302
    kept = client.session[journey.DETAILS]
    assert kept["phone"] == "+12135550123"
    assert kept["date_of_birth"] == "1980-05-17"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"start": "tomorrow", "practitioner": "1"},
        {"start": "2027-01-12T10:00:00", "practitioner": "1"},
        {"start": "2027-01-12T10:00:00+00:00", "practitioner": "x"},
    ],
)
def test_a_missing_or_malformed_time_goes_back_to_the_times(
    client: Client, world: PublicWorld, query: dict[str, str]
) -> None:
    response = client.get("/book/riverside/assessment/details/", query, follow=True)

    assert response.redirect_chain[-1][0].startswith("/book/riverside/assessment/")
    assert "Choose a time for your appointment first." in response.content.decode()


def test_a_time_that_is_not_free_goes_back_to_that_days_times(
    client: Client, world: PublicWorld
) -> None:
    response = client.get(details_url(world, world.at(10, 30)))

    assert response.status_code == 302
    assert response["Location"] == f"/book/riverside/assessment/?day={world.future_day}"


def test_details_sent_for_a_time_taken_meanwhile_are_kept_for_the_next_time(
    client: Client, world: PublicWorld
) -> None:
    url = details_url(world, world.at(10))
    key = client.get(url).context["form"].initial["key"]
    book(
        service=world.assessment,
        clinic=world.clinic,
        practitioner=world.physio,
        start=world.at(10),
        now=timezone.now(),
        patient_details=patient_details(email="quicker@example.org"),
    )

    response = client.post(url, {**GOOD, "key": key}, follow=True)

    assert "That time has just been taken" in response.content.decode()
    again = client.get(details_url(world, world.at(11)))
    assert again.context["form"].initial["last_name"] == "Taylor"
    assert journey.PENDING not in client.session


def test_confirm_shows_the_summary_and_the_key_without_booking(
    client: Client, world: PublicWorld
) -> None:
    fill_details(client, world, world.at(10))

    response = client.get("/book/riverside/assessment/confirm/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Step 5 of 5" in body
    assert "Sam Taylor" in body
    assert "17 May 1980" in body
    assert "07911 123456" in body
    assert "£67.50 online" in body
    assert f'name="key" value="{client.session[journey.PENDING]["key"]}"' in body
    assert ">Confirm booking</button>" in body
    assert not Appointment.objects.exists()


def test_confirm_without_a_chosen_time_goes_back_to_the_times(
    client: Client, world: PublicWorld
) -> None:
    response = client.get("/book/riverside/assessment/confirm/")

    assert response.status_code == 302
    assert response["Location"] == "/book/riverside/assessment/"


def booked_id(response: Any) -> int:
    """The booking a confirmation redirect leads to."""
    token = response["Location"].removeprefix("/booked/").rstrip("/")
    return read_manage_link(token, now=timezone.now()).appointment_id


def confirm(client: Client) -> Any:
    key = client.session[journey.PENDING]["key"]
    return client.post("/book/riverside/assessment/confirm/", {"key": key})


def test_confirming_books_online_and_shows_the_confirmation(
    client: Client, world: PublicWorld
) -> None:
    fill_details(client, world, world.at(14, 30) - timedelta(minutes=30))

    response = confirm(client)

    appointment = Appointment.objects.get()
    assert appointment.channel == Appointment.Channel.ONLINE
    assert appointment.start == world.at(14)
    assert appointment.discount == appointment.price - appointment.price * 9 / 10
    assert appointment.patient.phone == "+447911123456"
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "You are booked in" in body
    zone = world.at(14).tzname()
    assert f"{world.future_day.day} {world.future_day:%B %Y} at 14:00 {zone}" in body
    assert "Priya Raman" in body
    assert "1 River Walk, Manchester, M3 4ZZ" in body
    assert "Wear loose clothing and bring a list of your medicines." in body
    assert "£67.50" in body
    token = response["Location"].removeprefix("/booked/").rstrip("/")
    assert f'href="/manage/{token}/"' in body


def test_a_double_submission_makes_one_booking(client: Client, world: PublicWorld) -> None:
    fill_details(client, world, world.at(10))
    key = client.session[journey.PENDING]["key"]

    first = client.post("/book/riverside/assessment/confirm/", {"key": key})
    second = client.post("/book/riverside/assessment/confirm/", {"key": key})

    assert Appointment.objects.count() == 1
    assert booked_id(first) == booked_id(second) == Appointment.objects.get().pk


def test_a_repeat_the_session_did_not_record_still_returns_the_same_booking(
    client: Client, world: PublicWorld
) -> None:
    # Two clicks racing: the second request read the session before the first saved it.
    fill_details(client, world, world.at(10))
    before = dict(client.session.items())
    first = confirm(client)
    session = client.session
    session.clear()
    session.update(before)
    session.save()

    second = confirm(client)

    assert Appointment.objects.count() == 1
    assert second.status_code == 302
    assert booked_id(second) == booked_id(first)


def test_after_booking_the_details_are_forgotten_but_a_resubmission_finds_the_booking(
    client: Client, world: PublicWorld
) -> None:
    fill_details(client, world, world.at(10))
    key = client.session[journey.PENDING]["key"]
    first = confirm(client)

    again = client.get(details_url(world, world.at(11)))
    resubmitted = client.post("/book/riverside/assessment/confirm/", {"key": key})

    assert "first_name" not in again.context["form"].initial
    assert journey.DETAILS not in client.session
    assert booked_id(resubmitted) == booked_id(first)
    assert Appointment.objects.count() == 1


def test_a_slot_taken_meanwhile_returns_to_that_days_times_with_details_kept(
    client: Client, world: PublicWorld
) -> None:
    fill_details(client, world, world.at(10))
    book(
        service=world.assessment,
        clinic=world.clinic,
        practitioner=world.physio,
        start=world.at(10),
        now=timezone.now(),
        patient_details=patient_details(email="quicker@example.org"),
    )

    response = confirm(client)

    assert response.status_code == 302
    assert response["Location"] == f"/book/riverside/assessment/?day={world.future_day}"
    times = client.get(response["Location"]).content.decode()
    assert "That time has just been taken" in times
    assert ">10:00<" not in times
    again = client.get(details_url(world, world.at(11)))
    assert again.context["form"].initial["first_name"] == "Sam"
    assert 'value="17/05/1980"' in again.content.decode()
    assert again.context["form"].initial["phone"] == "+447911123456"
    assert Appointment.objects.count() == 1


def test_going_back_and_changing_details_after_booking_does_not_reuse_the_key(
    client: Client, world: PublicWorld
) -> None:
    url = details_url(world, world.at(10))
    key = client.get(url).context["form"].initial["key"]
    client.post(url, {**GOOD, "key": key})
    confirm(client)
    client.post(details_url(world, world.at(11)), {**GOOD, "key": key, "first_name": "Samuel"})
    fresh_key = client.session[journey.PENDING]["key"]

    response = confirm(client)

    assert fresh_key != key
    assert Appointment.objects.count() == 2
    assert Appointment.objects.filter(patient__first_name="Samuel").exists()
    assert response.status_code == 302


def test_a_changed_confirmation_link_is_not_found(client: Client, world: PublicWorld) -> None:
    fill_details(client, world, world.at(10))
    location = confirm(client)["Location"]

    assert client.get(location[:-5] + "xxxx/").status_code == 404
    assert client.get("/booked/not-a-token/").status_code == 404
