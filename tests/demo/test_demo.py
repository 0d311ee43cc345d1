"""The demo loader: the world it builds, and that loading it twice changes nothing."""

import re
from datetime import date, time
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from pytest_django.fixtures import Settings

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Closure, Practitioner, Room, Service
from facetcare.demo.loader import main
from facetcare.patients.models import Patient
from facetcare.web.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str]) -> str:
    assert main([]) == 0
    return capsys.readouterr().out


def _counts() -> dict[str, int]:
    return {
        "clinics": Clinic.objects.count(),
        "services": Service.objects.count(),
        "practitioners": Practitioner.objects.count(),
        "patients": Patient.objects.count(),
        "appointments": Appointment.objects.count(),
        "users": get_user_model().objects.count(),
        "closures": Closure.objects.count(),
        "rooms": Room.objects.count(),
    }


def test_it_builds_the_north_west_southampton_and_california_clinics(demo: str) -> None:
    zones = dict(Clinic.objects.values_list("slug", "time_zone"))
    assert {zones[s] for s in ("manchester", "salford", "bolton", "wigan", "warrington")} == {
        "Europe/London"
    }
    assert zones["southampton"] == "Europe/London"
    assert {zones[s] for s in ("west-hills", "bakersfield", "ventura")} == {"America/Los_Angeles"}
    assert set(Clinic.objects.filter(slug="ventura").values_list("currency", flat=True)) == {"USD"}


def test_north_west_clinics_open_long_days_and_weekends(demo: str) -> None:
    hours = {
        (h.weekday, h.opens, h.closes)
        for h in Clinic.objects.get(slug="bolton").opening_hours.all()
    }
    assert (0, time(8), time(20)) in hours
    assert (5, time(9), time(17)) in hours
    assert (6, time(9), time(16)) in hours
    assert len(hours) == 7


def test_bank_holidays_close_each_network_on_its_own_days(demo: str) -> None:
    wigan = Clinic.objects.get(slug="wigan").closures
    bakersfield = Clinic.objects.get(slug="bakersfield").closures
    assert wigan.filter(first_day=date(2026, 12, 28), kind="bank_holiday").exists()
    assert not wigan.filter(first_day=date(2026, 11, 26)).exists()
    assert bakersfield.filter(first_day=date(2026, 11, 26), reason="Thanksgiving Day").exists()


def test_procedures_need_fluoroscopy_and_staff_booking(demo: str) -> None:
    injection = Service.objects.get(slug="lumbar-facet-injection")
    assert injection.category == "procedure"
    assert injection.procedure_type == "ia_therapeutic"
    assert injection.region == "lumbar"
    assert injection.required_equipment == ["fluoroscopy"]
    assert not injection.online_bookable
    assert injection.buffer_after_minutes > 0
    assert Service.objects.get(slug="lumbar-medial-branch-block").procedure_type == (
        "mbb_diagnostic"
    )
    pilates = Service.objects.get(slug="pilates-class")
    assert pilates.capacity == 8
    assert Room.objects.get(clinic__slug="manchester", equipment=["studio"]).capacity == 8
    fluoroscopy_sites = set(
        Room.objects.filter(name="Fluoroscopy suite").values_list("clinic__slug", flat=True)
    )
    assert {"west-hills", "bakersfield", "ventura"} <= fluoroscopy_sites


def test_staff_logins_hold_their_roles_and_the_printed_token_works(demo: str) -> None:
    users = get_user_model().objects
    for role in ("manager", "receptionist", "physiotherapist", "consultant", "referrer"):
        assert users.filter(groups__name=role).exists(), role
    admin = users.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("facetcare-admin")
    assert Practitioner.objects.get(user__username="physio").last_name == "Raman"
    token = re.search(r"Bearer (fct_\S+)", demo)
    assert token is not None
    assert ApiToken.objects.filter(key_hash=hash_token(token.group(1)), revoked=False).exists()
    assert "/api/v1/docs" in demo
    assert "/admin/" in demo


def test_the_diary_has_past_and_future_bookings_that_never_overlap(demo: str) -> None:
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert {"booked", "completed", "no_show"} <= statuses
    live = Appointment.objects.exclude(status="cancelled")
    for column in ("practitioner_id", "room_id"):
        spans = sorted(live.values_list(column, "occupied_start", "occupied_end", "session_key"))
        for first, second in pairwise(spans):
            if first[0] == second[0] and first[3] != second[3]:
                assert first[2] <= second[1], (column, first, second)
    classes = live.filter(service__slug="pilates-class")
    assert classes.values("session_key").distinct().count() < classes.count()


def test_loading_twice_adds_nothing(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts()
    assert main([]) == 0
    assert _counts() == before
    assert ApiToken.objects.count() == 1


def test_reset_reloads_the_same_world(demo: str) -> None:
    before = _counts()
    assert main(["--reset"]) == 0
    assert _counts() == before
