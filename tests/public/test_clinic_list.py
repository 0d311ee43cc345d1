from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from facetcare.booking.selectors import get_local_availability
from facetcare.clinics.models import Closure, Service
from facetcare.public.clinic_finder import list_clinic_cards
from tests.factories import book, make_clinic, make_practitioner, make_room
from tests.public.conftest import PublicWorld, build_public_world

pytestmark = pytest.mark.django_db


def test_each_clinic_shows_address_map_phone_hours_and_next_free_time(
    client: Client, world: PublicWorld
) -> None:
    response = client.get("/clinics/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Find a clinic · FacetCare</title>" in body
    assert "1 River Walk, Manchester, M3 4ZZ" in body
    assert 'href="https://www.openstreetmap.org/?mlat=53.48000&amp;mlon=-2.25000' in body
    assert 'href="tel:+441614960100">0161 496 0100</a>' in body
    assert "08:00–20:00" in body
    assert "Next free appointment:" in body
    assert "(Facet joint assessment)" in body
    assert 'href="/book/riverside/"' in body


def test_the_next_free_time_is_the_clinics_earliest_slot_in_its_own_zone(
    world: PublicWorld,
) -> None:
    now = timezone.now()

    (card,) = list_clinic_cards(now=now)

    earliest = get_local_availability(
        service=world.assessment, clinic=world.clinic, days=3, limit=1, now=now
    )[0]
    assert card.service == world.assessment
    assert card.next_free == earliest
    assert card.next_free is not None
    assert str(card.next_free.start.tzinfo) == "Europe/London"


def test_a_booked_first_slot_moves_the_next_free_time_on(world: PublicWorld) -> None:
    # Closed until the future day, so the first slot is its 08:00.
    Closure.objects.create(
        clinic=world.clinic, first_day=world.today, last_day=world.future_day - timedelta(days=1)
    )
    before = list_clinic_cards(now=timezone.now())[0].next_free
    book(
        service=world.assessment,
        clinic=world.clinic,
        practitioner=world.physio,
        start=world.at(8),
        now=timezone.now(),
    )
    after = list_clinic_cards(now=timezone.now())[0].next_free

    assert before is not None
    assert before.start == world.at(8)
    assert after is not None
    assert after.start == world.at(9)


def test_a_closed_day_says_so_with_its_reason(client: Client, world: PublicWorld) -> None:
    Closure.objects.create(
        clinic=world.clinic,
        kind=Closure.Kind.BANK_HOLIDAY,
        first_day=world.today,
        last_day=world.today,
        reason="Boxing Day",
    )

    body = client.get("/clinics/").content.decode()

    assert "Closed (Boxing Day)" in body


def test_inactive_clinics_are_not_listed(client: Client, world: PublicWorld) -> None:
    make_clinic(name="Shut Clinic", slug="shut", is_active=False)

    assert "Shut Clinic" not in client.get("/clinics/").content.decode()


def _far_clinic(name: str, slug: str, latitude: str, longitude: str) -> None:
    clinic = make_clinic(
        name=name, slug=slug, latitude=Decimal(latitude), longitude=Decimal(longitude)
    )
    make_room(clinic, equipment=("couch",))
    make_practitioner(clinic, Service.objects.get(slug="assessment"))


def test_a_typed_postcode_puts_the_nearest_clinic_first_with_its_distance_in_miles(
    client: Client, world: PublicWorld
) -> None:
    _far_clinic("Aardvark Southampton", "southampton", "50.90970", "-1.40440")

    by_name = client.get("/clinics/").content.decode()
    nearest = client.get("/clinics/", {"place": "SO14 7AA"}).content.decode()

    assert by_name.index("Aardvark Southampton") < by_name.index("Riverside Spine Clinic")
    assert nearest.index("Aardvark Southampton") < nearest.index("Riverside Spine Clinic")
    near_manchester = client.get("/clinics/", {"place": "Salford"}).content.decode()
    assert near_manchester.index("Riverside Spine Clinic") < near_manchester.index("Aardvark")
    assert "Clinics nearest to <strong>Salford</strong> first." in near_manchester
    assert "1.8 miles away" in near_manchester  # Salford to the clinic, about 2.9 km


def test_the_browsers_location_sorts_by_distance_too(client: Client, world: PublicWorld) -> None:
    _far_clinic("Aardvark Southampton", "southampton", "50.90970", "-1.40440")

    body = client.get("/clinics/", {"lat": "53.47", "lon": "-2.29"}).content.decode()

    assert body.index("Riverside Spine Clinic") < body.index("Aardvark Southampton")
    assert "nearest to <strong>your location</strong>" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"place": "Atlantis"}, "We could not find “Atlantis”"),
        ({"lat": "53.4"}, "We could not use your location"),
        ({"lat": "123", "lon": "0"}, "We could not use your location"),
        ({"lat": "north", "lon": "west"}, "We could not use your location"),
    ],
)
def test_a_place_it_cannot_use_gets_an_error_next_to_the_field(
    client: Client, world: PublicWorld, query: dict[str, str], message: str
) -> None:
    response = client.get("/clinics/", query)

    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    # The message sits in the place field's group, and the clinics are still listed.
    field = body[body.index('<div class="field has-error">') :]
    assert field.index(message) < field.index('id="id_place"') + 200
    assert "Riverside Spine Clinic" in body


def test_htmx_gets_only_the_finder_and_the_list(client: Client, world: PublicWorld) -> None:
    response = client.get("/clinics/", {"place": "Bolton"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Riverside Spine Clinic" in body


def test_book_starts_at_step_one_with_the_same_list(client: Client, world: PublicWorld) -> None:
    body = client.get("/book/").content.decode()

    assert "Step 1 of 5" in body
    assert "<h1>Choose a clinic</h1>" in body
    assert "Riverside Spine Clinic" in body


def _add_clinics(count: int, first: int, service: Service) -> None:
    for n in range(first, first + count):
        clinic = make_clinic(name=f"Extra {n}", slug=f"extra-{n}")
        make_room(clinic, equipment=("couch",))
        make_practitioner(clinic, service)
        make_practitioner(clinic, service)


def test_the_clinic_list_takes_a_fixed_number_of_queries(
    client: Client, world: PublicWorld, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with CaptureQueriesContext(connection) as few:
        client.get("/clinics/")
    _add_clinics(6, first=1, service=world.assessment)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/clinics/")

    assert response.content.decode().count("Next free appointment:") == 7


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_cards_are_kept_until_the_directory_changes(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    world = build_public_world()
    now = timezone.now()
    first = list_clinic_cards(now=now)

    with django_assert_num_queries(0):
        again = list_clinic_cards(now=now, near=(53.47, -2.29))
    world.clinic.name = "Riverside Spine and Physio"
    world.clinic.save()
    renamed = list_clinic_cards(now=now)

    assert again[0].next_free == first[0].next_free
    assert again[0].miles is not None
    assert renamed[0].clinic.name == "Riverside Spine and Physio"


@pytest.mark.django_db(transaction=True)
def test_a_kept_next_free_time_that_is_now_too_soon_is_worked_out_again() -> None:
    build_public_world()
    now = timezone.now()
    (card,) = list_clinic_cards(now=now)
    assert card.next_free is not None

    later = card.next_free.start - timedelta(minutes=30)  # inside the hour's notice
    (moved,) = list_clinic_cards(now=later)

    assert moved.next_free is not None
    assert moved.next_free.start > card.next_free.start
