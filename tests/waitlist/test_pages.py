"""The waitlist pages: joining, an emailed offer, and the staff list, through the client."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facetcare.booking.models import Appointment
from facetcare.booking.services import cancel_appointment
from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer
from facetcare.waitlist.services import offer_freed_slot
from facetcare.waitlist.tokens import offer_link_token
from facetcare.web.roles import Role
from tests.waitlist.conftest import Waitworld
from tests.web.staff import make_staff

JOIN = reverse("waitlist:join")


def valid_join(waitworld: Waitworld, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "service": waitworld.service.slug,
        "clinics": [waitworld.clinic.slug],
        "weekdays": ["0", "1", "2"],
        "parts_of_day": ["morning"],
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": "1985-12-10",
        "email": "ada@example.org",
        "phone": "07911 123456",
        "consent": "on",
    }
    return {name: value for name, value in (data | changes).items() if value is not None}


def offers_for(waitworld: Waitworld, *names: str) -> list[WaitlistOffer]:
    first = timezone.now() - timedelta(days=1)
    for n, name in enumerate(names):
        waitworld.join(name, joined=first + timedelta(minutes=n))
    freed = cancel_appointment(appointment=waitworld.book(waitworld.at(10)))
    return offer_freed_slot(appointment_id=freed.pk, now=timezone.now())


def offer_url(offer: WaitlistOffer) -> str:
    return reverse("waitlist:offer", kwargs={"token": offer_link_token(offer)})


# Joining


def test_the_join_page_speaks_the_clinics_locale_and_preselects_its_choices(
    waitworld: Waitworld, client: Client
) -> None:
    waitworld.clinic.locale = "en-US"
    waitworld.clinic.save()

    response = client.get(JOIN, {"clinic": "harley", "service": "assessment"})

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-US">' in page
    assert '<option value="assessment" selected>' in page
    assert 'value="harley"' in page
    assert '<label for="id_first_name">First name' in page


def test_the_clinics_phone_is_written_as_its_patients_write_it(
    waitworld: Waitworld, client: Client
) -> None:
    joining = client.get(JOIN, {"clinic": "harley"}).content.decode()
    joined = client.get(reverse("waitlist:joined"), {"clinic": "harley"}).content.decode()

    for page in (joining, joined):
        assert '<a href="tel:+442071234567">020 7123 4567</a>' in page


def test_the_date_of_birth_is_typed_as_the_clinics_locale_writes_dates(
    waitworld: Waitworld, client: Client
) -> None:
    # The same field as the online booking's: typed digits, not a date picker
    waitworld.clinic.locale = "en-US"
    waitworld.clinic.save()
    url = f"{JOIN}?clinic=harley"

    form = client.get(url).content.decode()
    response = client.post(
        url, valid_join(waitworld, date_of_birth="12/10/1985", phone="(213) 555-0123")
    )

    assert 'type="date"' not in form
    assert "For example 05/17/1980" in form
    assert response.status_code == 302
    assert WaitlistEntry.objects.get().date_of_birth.isoformat() == "1985-12-10"


def test_the_pages_a_patient_sees_are_titled_with_the_clinic_like_the_booking_pages(
    waitworld: Waitworld, client: Client
) -> None:
    joining = client.get(JOIN, {"clinic": "harley"}).content.decode()
    anywhere = client.get(JOIN).content.decode()

    assert "<title>Join the waiting list · Harley Street Spine</title>" in joining
    assert "<title>Join the waiting list · FacetCare</title>" in anywhere


def test_joining_through_the_page_adds_an_entry_and_says_so(
    waitworld: Waitworld, client: Client
) -> None:
    response = client.post(JOIN + "?clinic=harley", valid_join(waitworld), follow=True)

    assert response.redirect_chain[0][1] == 302
    assert "You are on the waiting list" in response.content.decode()
    assert "Physiotherapy assessment" in response.content.decode()
    entry = WaitlistEntry.objects.get()
    assert (entry.phone, entry.weekdays, entry.parts_of_day) == (
        "+447911123456",
        [0, 1, 2],
        ["morning"],
    )
    assert list(entry.clinics.all()) == [waitworld.clinic]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Enter your first name"),
        ({"last_name": "x" * 81}, "last_name", "at most 80 characters"),
        (
            {"date_of_birth": "31/02/1980"},
            "date_of_birth",
            "as a real date, for example 17/05/1980",
        ),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": None}, "email", "offers are sent there"),
        ({"phone": "12345"}, "phone", "Enter a phone number we can call or text"),
        ({"service": "no-such-service"}, "service", "Choose one of the services"),
        ({"clinics": None}, "clinics", "Choose at least one clinic"),
        ({"clinics": ["nowhere"]}, "clinics", "Select a valid choice"),
        ({"weekdays": None}, "weekdays", "Choose at least one day"),
        ({"weekdays": ["9"]}, "weekdays", "Select a valid choice"),
        ({"parts_of_day": None}, "parts_of_day", "Choose at least one time of day"),
        ({"consent": None}, "consent", "agree to be emailed"),
    ],
)
def test_bad_input_on_the_join_form_is_shown_next_to_its_field(
    waitworld: Waitworld, client: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client.post(JOIN, valid_join(waitworld, **changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_a_clinic_without_the_service_is_refused_next_to_the_clinics(
    waitworld: Waitworld, client: Client
) -> None:
    waitworld.other_practitioner.services.clear()

    response = client.post(JOIN, valid_join(waitworld, clinics=["harley", "canary"]))

    assert response.status_code == 422
    assert response.context["form"].errors["clinics"] == [
        "Canary Wharf Spine does not offer Physiotherapy assessment"
    ]
    assert not WaitlistEntry.objects.exists()


def test_joining_twice_is_refused_with_a_clear_message(
    waitworld: Waitworld, client: Client
) -> None:
    client.post(JOIN, valid_join(waitworld))

    response = client.post(JOIN, valid_join(waitworld))

    assert response.status_code == 422
    assert "already on the waiting list" in response.context["form"].errors["service"][0]
    assert WaitlistEntry.objects.count() == 1


def test_the_join_page_is_rate_limited(waitworld: Waitworld, client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.FACETCARE_PUBLIC_WRITE_RATE = "2/m"

    statuses = [client.post(JOIN, {}).status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


# Offers


def test_an_offer_link_shows_the_time_in_the_clinics_locale(
    waitworld: Waitworld, client: Client
) -> None:
    (offer,) = offers_for(waitworld, "Ada")

    response = client.get(offer_url(offer))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-GB">' in page
    assert "at 10:00 G" in page or "at 10:00 B" in page  # GMT or BST
    assert "Book this time" in page
    assert not Appointment.objects.filter(status="booked").exists()  # opening books nothing


def test_accepting_an_offer_books_it_and_links_to_the_booking(
    waitworld: Waitworld, client: Client
) -> None:
    (offer,) = offers_for(waitworld, "Ada")

    response = client.post(offer_url(offer))

    assert response.status_code == 200
    assert "You are booked" in response.content.decode()
    booking = Appointment.objects.get(status="booked")
    assert booking.patient.first_name == "Ada"
    assert "/manage/" in response.content.decode()


def test_a_second_acceptance_gets_a_clear_sorry_page(waitworld: Waitworld, client: Client) -> None:
    ada, ben = offers_for(waitworld, "Ada", "Ben")
    client.post(offer_url(ada))

    response = client.post(offer_url(ben))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Sorry, you cannot book this time" in page
    assert "someone else accepted it first" in page
    assert Appointment.objects.filter(status="booked").count() == 1


def test_a_gone_offer_says_so_when_opened_too(waitworld: Waitworld, client: Client) -> None:
    ada, ben = offers_for(waitworld, "Ada", "Ben")
    client.post(offer_url(ada))

    response = client.get(offer_url(ben))

    assert response.status_code == 409
    assert "someone else accepted it first" in response.content.decode()


def test_a_tampered_offer_link_gets_a_400_page(waitworld: Waitworld, client: Client) -> None:
    (offer,) = offers_for(waitworld, "Ada")
    token = offer_link_token(offer)
    forged = signing.dumps({"o": offer.pk + 1, "x": 9999999999}, salt="wrong-salt")

    responses = [
        client.get(reverse("waitlist:offer", kwargs={"token": token[:-2] + "xx"})),
        client.post(reverse("waitlist:offer", kwargs={"token": forged})),
    ]

    assert [r.status_code for r in responses] == [400, 400]
    assert "This link does not work" in responses[0].content.decode()
    assert not Appointment.objects.filter(status="booked").exists()


def test_an_expired_offer_link_gets_a_410_page(
    waitworld: Waitworld, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    (offer,) = offers_for(waitworld, "Ada")
    url = offer_url(offer)
    later = offer.expires_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = client.post(url)

    assert response.status_code == 410
    assert "This offer has expired" in response.content.decode()
    assert not Appointment.objects.filter(status="booked").exists()


# Staff


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ((Role.RECEPTIONIST,), 200),
        ((Role.MANAGER,), 200),
        ((Role.PHYSIOTHERAPIST,), 403),
        ((Role.REFERRER,), 403),
    ],
)
def test_the_staff_list_is_for_reception_and_managers(
    waitworld: Waitworld, client: Client, roles: tuple[Role, ...], status: int
) -> None:
    waitworld.join("Ada")
    client.force_login(make_staff("someone", *roles))

    response = client.get(reverse("waitlist:entries"))

    assert response.status_code == status
    if status == 200:
        assert "Ada Taylor" in response.content.decode()


def test_the_staff_list_asks_a_stranger_to_sign_in(waitworld: Waitworld, client: Client) -> None:
    response = client.get(reverse("waitlist:entries"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def reception(client: Client) -> Client:
    client.force_login(make_staff("reception", Role.RECEPTIONIST))
    return client


def test_the_staff_list_filters_by_clinic_and_shows_offers(
    waitworld: Waitworld, reception: Client
) -> None:
    offers_for(waitworld, "Ada", "Ben")
    waitworld.join("Oli", clinics=[waitworld.other_clinic])

    response = reception.get(reverse("waitlist:entries"), {"clinic": "harley"})

    page = response.content.decode()
    assert "Ada Taylor" in page
    assert "Oli Taylor" not in page
    assert "1 made" in page
    assert "waiting for an answer" in page


def test_the_staff_list_costs_the_same_queries_for_two_entries_or_eight(
    waitworld: Waitworld, reception: Client
) -> None:
    url = reverse("waitlist:entries")
    offers_for(waitworld, "Ada", "Ben")
    reception.get(url)  # the first request after signing in also saves the session
    with CaptureQueriesContext(connection) as few:
        reception.get(url)
    offers_for(waitworld, "Cy", "Dee", "Eli", "Fay", "Gus", "Hal")  # a new slot each time

    with CaptureQueriesContext(connection) as many:
        response = reception.get(url)

    assert response.content.decode().count("<tr>") == 1 + 8
    assert len(many) == len(few)


def test_a_bad_filter_is_a_400_not_a_500(waitworld: Waitworld, reception: Client) -> None:
    response = reception.get(reverse("waitlist:entries"), {"status": "nonsense"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_an_entrys_page_speaks_the_locale_its_dates_are_written_in(
    waitworld: Waitworld, reception: Client
) -> None:
    waitworld.clinic.locale = "en-US"
    waitworld.clinic.save()
    entry = waitworld.join("Ada")

    page = reception.get(reverse("waitlist:entry", args=[entry.pk])).content.decode()

    assert '<html lang="en-US">' in page
    assert f"{entry.date_of_birth:%m/%d/%Y}" in page


def test_reception_offers_a_suggested_time_from_the_entry_page(
    waitworld: Waitworld, reception: Client
) -> None:
    entry = waitworld.join("Ada", parts_of_day=["afternoon"])
    page = reception.get(reverse("waitlist:entry", args=[entry.pk]))
    slot = page.context["suggestions"][0]

    response = reception.post(
        reverse("waitlist:offer_time", args=[entry.pk]),
        {
            "clinic": slot.clinic.pk,
            "practitioner": slot.practitioner.pk,
            "start": slot.start.isoformat(),
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "they have been emailed the link" in response.content.decode()
    offer = WaitlistOffer.objects.get()
    assert (offer.start, offer.offered_by.username) == (slot.start, "reception")
    assert 12 <= offer.local_start.hour < 17


def test_offering_a_made_up_time_is_refused_with_a_4xx(
    waitworld: Waitworld, reception: Client
) -> None:
    entry = waitworld.join("Ada")
    url = reverse("waitlist:offer_time", args=[entry.pk])

    garbled = reception.post(url, {"clinic": "x", "start": "soon"})
    closed = reception.post(
        url,
        {
            "clinic": waitworld.clinic.pk,
            "practitioner": waitworld.practitioner.pk,
            "start": waitworld.at(3).isoformat(),  # 03:00: the clinic is shut
        },
    )

    assert garbled.status_code == 422
    assert closed.status_code == 409
    assert "no longer free" in closed.content.decode()
    assert not WaitlistOffer.objects.exists()


def test_reception_removes_an_entry_with_a_reason(waitworld: Waitworld, reception: Client) -> None:
    entry = waitworld.join("Ada")
    url = reverse("waitlist:remove", args=[entry.pk])

    empty = reception.post(url, {"reason": ""})
    done = reception.post(url, {"reason": "Booked by phone"})
    again = reception.post(url, {"reason": "Booked by phone"})

    assert empty.status_code == 400
    assert done.status_code == 302
    assert again.status_code == 409
    entry.refresh_from_db()
    assert (entry.status, entry.removed_by.username) == ("removed", "reception")


def test_an_unknown_entry_is_a_404(waitworld: Waitworld, reception: Client) -> None:
    assert reception.get(reverse("waitlist:entry", args=[999999])).status_code == 404
