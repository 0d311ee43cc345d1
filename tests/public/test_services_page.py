import pytest
from django.test import Client

from facetcare.clinics.models import Clinic, Locale
from tests.factories import make_clinic
from tests.public.conftest import PublicWorld

pytestmark = pytest.mark.django_db


def test_services_show_price_saving_what_it_is_who_for_and_duration(
    client: Client, world: PublicWorld
) -> None:
    response = client.get("/book/riverside/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Step 2 of 5" in body
    assert '<html lang="en-GB">' in body
    assert "<title>Choose a service · Riverside Spine Clinic</title>" in body
    assert '<span class="price-was">£75.00</span>' in body
    assert '<strong class="price-now">£67.50 online</strong>' in body
    assert '<span class="saving">save £7.50</span>' in body
    assert "First assessment: history, red-flag screening, examination, plan." in body
    assert "Who it is for:</strong> Anyone with neck or back pain" in body
    assert "45 minutes" in body
    assert 'href="/book/riverside/assessment/"' in body


def test_online_services_come_first_assessment_leading(client: Client, world: PublicWorld) -> None:
    body = client.get("/book/riverside/").content.decode()

    assert (
        body.index("Facet joint assessment")
        < body.index("Clinical Pilates class")
        < body.index("Lumbar facet joint injection")
    )


def test_a_staff_only_service_says_so_with_the_clinics_phone_not_a_dead_end(
    client: Client, world: PublicWorld
) -> None:
    body = client.get("/book/riverside/").content.decode()

    injection = body[body.index("Lumbar facet joint injection") :]
    assert "Not booked online" in injection
    assert 'href="tel:+441614960100"' in injection
    assert 'href="/book/riverside/injection/"' not in body


def test_opening_a_staff_only_service_shows_the_phone_and_hours(
    client: Client, world: PublicWorld
) -> None:
    response = client.get("/book/riverside/injection/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "is booked by phone" in body
    assert "0161 496 0100" in body
    assert "Monday to Sunday" in body
    assert "08:00–20:00" in body
    assert 'class="time"' not in body


def test_a_us_clinic_speaks_en_us_and_dollars(client: Client, world: PublicWorld) -> None:
    Clinic.objects.filter(pk=world.clinic.pk).update(
        locale=Locale.EN_US, currency="USD", time_zone="America/Los_Angeles"
    )

    body = client.get("/book/riverside/").content.decode()

    assert '<html lang="en-US">' in body
    assert "$67.50 online" in body
    assert "8:00 AM–8:00 PM" in body


@pytest.mark.parametrize("url", ["/book/nowhere/", "/book/riverside/nothing/"])
def test_unknown_clinics_and_services_are_not_found(
    client: Client, world: PublicWorld, url: str
) -> None:
    response = client.get(url)

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert 'href="/book/"' in response.content.decode()


def test_an_inactive_clinic_or_a_service_it_does_not_give_is_not_found(
    client: Client, world: PublicWorld
) -> None:
    other = make_clinic(name="Other", slug="other")

    Clinic.objects.filter(pk=world.clinic.pk).update(is_active=False)

    assert client.get("/book/riverside/").status_code == 404
    assert client.get(f"/book/{other.slug}/assessment/").status_code == 404


def test_the_front_page_leads_to_booking(client: Client) -> None:
    body = client.get("/").content.decode()

    assert 'href="/book/">Book an appointment</a>' in body
    assert 'href="/clinics/">Find a clinic</a>' in body
