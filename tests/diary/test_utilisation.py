"""Utilisation: booked against available minutes, checked against a week worked out by hand."""

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from facetcare.booking.services import book_appointment, cancel_appointment
from facetcare.clinics.models import Closure, Service, TimeOff, WorkingHours
from facetcare.diary.selectors import list_diary_clinics
from facetcare.diary.utilisation import Usage, get_utilisation
from tests.diary.conftest import NOW, TODAY, Desk
from tests.factories import local, make_room, make_service, patient_details

pytestmark = pytest.mark.django_db

MONDAY = TODAY
WEDNESDAY, THURSDAY, SUNDAY = (MONDAY + timedelta(days=n) for n in (2, 3, 6))


def hand_worked_week(desk: Desk) -> None:
    """The week of Monday 2 March 2026 at Riverside (open 08:00-20:00 daily).

    Available:
      Priya 09-17 x 7 days = 3360 min, less 2 h time off on Tuesday (120) and the
      Sunday closure (480) = 2760 min (46 h).
      Tom 09-17 x 7 = 3360, plus 19:00-21:00 on Mondays of which only 19-20 is
      inside opening hours (60), less Sunday (480) = 2940 min (49 h).
    Booked:
      Priya: a 30-minute follow-up and a 45-minute assessment (its 5 minutes of
      writing up not counted) = 75; a cancelled follow-up counts nothing.
      Tom: a follow-up on Wednesday (30) and a 55-minute class on Thursday with two
      attendees, counted once (55) = 85. A booking next Monday is another week.
    """
    TimeOff.objects.create(
        practitioner=desk.priya, start=local(MONDAY + timedelta(days=1), 12),
        end=local(MONDAY + timedelta(days=1), 14),
    )  # fmt: skip
    Closure.objects.create(
        clinic=desk.clinic, first_day=SUNDAY, last_day=SUNDAY, reason="Deep clean"
    )
    WorkingHours.objects.create(
        practitioner=desk.tom, clinic=desk.clinic, weekday=0, starts=time(19), ends=time(21),
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    desk.book(10)
    desk.book(11, service=desk.assessment)
    cancelled = desk.book(15)
    cancel_appointment(appointment=cancelled, reason="Unwell", now=NOW)
    desk.book(10, practitioner=desk.tom, start=local(WEDNESDAY, 10))
    desk.book(10, practitioner=desk.tom, start=local(MONDAY + timedelta(days=7), 10))
    pilates = make_service(
        name="Pilates", slug="pilates", category=Service.Category.CLASS, capacity=4,
        duration_minutes=55, required_equipment=["studio"],
    )  # fmt: skip
    make_room(desk.clinic, equipment=("studio",), capacity=4)
    desk.tom.services.add(pilates)
    for email in ("a@example.org", "b@example.org"):
        book_appointment(
            service=pilates, clinic=desk.clinic, practitioner=desk.tom,
            start=local(THURSDAY, 15), channel="phone", now=NOW,
            patient_details=patient_details(email=email),
        )  # fmt: skip


def test_the_week_matches_the_hand_worked_figures(desk: Desk) -> None:
    hand_worked_week(desk)
    clinics = list_diary_clinics(user=desk.manager)

    report = get_utilisation(first_day=MONDAY, clinic=desk.clinic, clinics=clinics)

    assert report.practitioners == [
        Usage("Priya Raman", available=2760, booked=75),
        Usage("Tom Ashworth", available=2940, booked=85),
    ]
    assert report.clinics == [Usage("Riverside", available=5700, booked=160)]
    assert report.practitioners[0].percent == 3


def test_nothing_available_has_no_percentage() -> None:
    assert Usage("Nobody", available=0, booked=0).percent is None


def test_a_manager_sees_the_chart_and_the_table(client: Client, desk: Desk) -> None:
    hand_worked_week(desk)
    client.force_login(desk.manager)

    response = client.get(f"/diary/utilisation/?clinic={desk.clinic.pk}&week=2026-03-04")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Week of Monday 2 March 2026 to Sunday 8 March 2026" in page
    assert "<svg" in page
    assert 'role="img"' in page
    assert '<td class="number">1 h 15 min</td><td class="number">46 h</td>' in page
    assert '<td class="number">1 h 25 min</td><td class="number">49 h</td>' in page
    assert '<td class="number">2 h 40 min</td><td class="number">95 h</td>' in page


@pytest.mark.parametrize("who", ["reception", "physio", "referrer"])
def test_only_a_manager_sees_utilisation(client: Client, desk: Desk, who: str) -> None:
    client.force_login(getattr(desk, who))

    assert client.get("/diary/utilisation/").status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [("clinic=x", "Choose a clinic from the list"), ("week=2026-13-01", "Enter a date")],
)
def test_bad_choices_are_named(client: Client, desk: Desk, query: str, message: str) -> None:
    client.force_login(desk.manager)

    response = client.get(f"/diary/utilisation/?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()


def test_utilisation_costs_the_same_queries_however_busy(
    client: Client, desk: Desk, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client.force_login(desk.manager)
    url = f"/diary/utilisation/?clinic={desk.clinic.pk}&week=2026-03-02"
    desk.book(9)
    client.get(url)

    def count() -> Any:
        # Session, user, roles; clinics; working hours, opening hours, closures,
        # time off, grouped bookings, practitioners.
        return django_assert_num_queries(10)

    with count():
        client.get(url)
    hand_worked_week(desk)
    with count():
        client.get(url)
