"""A practitioner's list for the day, to print."""

import pytest
from django.test import Client

from tests.diary.conftest import Desk
from tests.factories import local

pytestmark = pytest.mark.django_db


def test_a_physiotherapist_sees_their_own_list_by_default(client: Client, desk: Desk) -> None:
    desk.book(10)
    desk.book(11, practitioner=desk.tom)
    client.force_login(desk.physio)

    response = client.get("/diary/today/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Priya Raman" in page
    assert "Monday 2 March 2026" in page
    assert "10:00–10:30" in page
    assert "11:00–11:30" not in page  # Tom's
    assert "1 appointment" in page


def test_reception_chooses_whose_list_and_which_day(reception: Client, desk: Desk) -> None:
    desk.book(11, practitioner=desk.tom)
    desk.book(12, practitioner=desk.tom, start=local(desk.clinic_day(1), 12))

    today = reception.get(f"/diary/today/?practitioner={desk.tom.pk}").content.decode()
    tomorrow = reception.get(
        f"/diary/today/?practitioner={desk.tom.pk}&day=2026-03-03"
    ).content.decode()
    nobody = reception.get("/diary/today/").content.decode()

    assert "11:00–11:30" in today
    assert "12:00–12:30" not in today
    assert "12:00–12:30" in tomorrow
    assert "Choose a practitioner" in nobody


def test_the_list_has_a_print_stylesheet_without_the_navigation(
    reception: Client, desk: Desk
) -> None:
    desk.book(10)

    page = reception.get(f"/diary/today/?practitioner={desk.priya.pk}").content.decode()

    assert "diary/diary.css" in page
    assert "data-print hidden" in page  # shown by print.js; no inline script
    assert "<script>" not in page
    css = (desk.static_file("diary/diary.css")).read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert ".site-header" in print_rules
    assert "display: none" in print_rules


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("practitioner=abc", "Choose a practitioner from the list"),
        ("day=31/31/2026", "Enter a date"),
    ],
)
def test_bad_choices_are_named(reception: Client, desk: Desk, query: str, message: str) -> None:
    response = reception.get(f"/diary/today/?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_referrer_may_not_see_lists(client: Client, desk: Desk) -> None:
    client.force_login(desk.referrer)

    assert client.get("/diary/today/").status_code == 403
