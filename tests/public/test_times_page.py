import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from facetcare.clinics.models import Closure, Service
from tests.factories import book, make_practitioner, make_room, patient_details
from tests.public.conftest import PublicWorld, open_all_day_today

pytestmark = pytest.mark.django_db


def _times(body: str) -> list[str]:
    return re.findall(r'<a class="time" href="[^"]*">(\d\d:\d\d)', body)


def test_the_week_strip_starts_today_and_marks_days_with_space(
    client: Client, world: PublicWorld
) -> None:
    closed = world.future_day + timedelta(days=1)
    Closure.objects.create(clinic=world.clinic, first_day=closed, last_day=closed)

    response = client.get("/book/riverside/assessment/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Step 3 of 5" in body
    assert '<span class="day-name">Today</span>' in body
    assert f'href="/book/riverside/assessment/?day={world.future_day.isoformat()}"' in body
    assert f'href="/book/riverside/assessment/?day={closed.isoformat()}"' not in body
    assert body.count('class="day no-space') >= 1
    assert body.count('<a class="day has-space') + body.count('<span class="day no-space') == 7


def test_a_days_times_are_grouped_morning_afternoon_evening_in_local_time(
    client: Client, world: PublicWorld
) -> None:
    body = client.get(
        "/book/riverside/assessment/", {"day": world.future_day.isoformat()}
    ).content.decode()

    morning = body[body.index(">Morning<") : body.index(">Afternoon<")]
    afternoon = body[body.index(">Afternoon<") : body.index(">Evening<")]
    evening = body[body.index(">Evening<") :]
    assert _times(morning) == ["08:00", "09:00", "10:00", "11:00"]
    assert _times(afternoon) == ["12:00", "13:00", "14:00", "15:00", "16:00"]
    assert _times(evening) == ["17:00", "18:00", "19:00"]
    start = world.at(8).isoformat().replace(":", "%3A").replace("+", "%2B")
    details = f"/book/riverside/assessment/details/?start={start}&amp;practitioner="
    assert details in body


def test_today_comes_first_when_it_has_space(client: Client, world: PublicWorld) -> None:
    open_all_day_today(world)

    body = client.get("/book/riverside/assessment/").content.decode()

    assert '<a class="day has-space selected"' in body
    selected = body[body.index("day has-space selected") :]
    assert selected.index("Today") < selected.index("day-number")


def test_several_practitioners_free_at_one_time_give_one_choice(
    client: Client, world: PublicWorld
) -> None:
    make_practitioner(world.clinic, world.assessment, first_name="Second", last_name="Physio")

    body = client.get(
        "/book/riverside/assessment/", {"day": world.future_day.isoformat()}
    ).content.decode()

    assert _times(body).count("08:00") == 1


def test_a_class_shows_places_left_and_full_sessions_are_not_choosable(
    client: Client, world: PublicWorld
) -> None:
    now = timezone.now()
    for n in range(3):
        book(
            service=world.pilates,
            clinic=world.clinic,
            practitioner=world.instructor,
            start=world.at(9),
            now=now,
            patient_details=patient_details(email=f"full{n}@example.org"),
        )
    book(
        service=world.pilates,
        clinic=world.clinic,
        practitioner=world.instructor,
        start=world.at(10),
        now=now,
    )

    body = client.get(
        "/book/riverside/pilates/", {"day": world.future_day.isoformat()}
    ).content.decode()

    assert '<span class="time full">09:00<small>Full</small></span>' in body
    assert "09:00" not in _times(body)
    assert re.search(r">10:00<small>2 places left</small></a>", body)
    assert re.search(r">11:00<small>3 places left</small></a>", body)


@pytest.mark.parametrize("day", ["yesterday", "too-far", "not-a-day"])
def test_a_day_it_cannot_show_gets_a_clear_message(
    client: Client, world: PublicWorld, day: str
) -> None:
    value = {
        "yesterday": (world.today - timedelta(days=1)).isoformat(),
        "too-far": (world.today + timedelta(days=200)).isoformat(),
        "not-a-day": "2027-02-31",
    }[day]

    response = client.get("/book/riverside/assessment/", {"day": value})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose a day" in body
    assert '<span class="day-name">Today</span>' in body


def test_no_slot_in_the_horizon_says_so_with_phone_and_hours(
    client: Client, world: PublicWorld
) -> None:
    Service.objects.filter(pk=world.assessment.pk).update(max_advance_days=5)
    Closure.objects.create(
        clinic=world.clinic, first_day=world.today, last_day=world.today + timedelta(days=10)
    )

    response = client.get("/book/riverside/assessment/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "No appointments free online" in body
    assert "in the next 5 days" in body
    assert 'href="tel:+441614960100"' in body
    assert "Monday to Sunday" in body
    assert 'class="time"' not in body


def test_a_week_without_space_jumps_to_the_week_of_the_next_free_day(
    client: Client, world: PublicWorld
) -> None:
    Closure.objects.create(
        clinic=world.clinic, first_day=world.today, last_day=world.today + timedelta(days=8)
    )
    opens_again = world.today + timedelta(days=9)

    body = client.get("/book/riverside/assessment/").content.decode()

    assert f"day={opens_again.isoformat()}" in body
    assert '<a class="day has-space selected"' in body
    assert "08:00" in _times(body)


def test_htmx_gets_the_picker_alone(client: Client, world: PublicWorld) -> None:
    response = client.get(
        "/book/riverside/assessment/",
        {"day": world.future_day.isoformat()},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert "<html" not in body
    assert "08:00" in _times(body)


def test_the_time_list_takes_a_fixed_number_of_queries(
    client: Client, world: PublicWorld, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    url = "/book/riverside/assessment/"
    day = {"day": world.future_day.isoformat()}
    with CaptureQueriesContext(connection) as few:
        client.get(url, day)
    for n in range(4):
        make_practitioner(world.clinic, world.assessment, first_name=f"Extra{n}")
        make_room(world.clinic, equipment=("couch",))
    now = timezone.now()
    for hour in (8, 9, 10):
        book(
            service=world.assessment,
            clinic=world.clinic,
            practitioner=world.physio,
            start=world.at(hour),
            now=now,
        )

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, day)

    assert "08:00" in _times(response.content.decode())
