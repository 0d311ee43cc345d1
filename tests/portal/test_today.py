"""The Today page: the patient's own appointments with their manage links, logged as read."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from facetcare.audit.models import AccessLogEntry
from facetcare.booking.models import Appointment
from facetcare.booking.services import cancel_appointment
from facetcare.clinics.models import Clinic
from facetcare.portal.models import PortalAccount
from tests.factories import book, make_clinic, make_practitioner, make_room, make_service
from tests.portal.support import patient_with_account, signed_in

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def booked_for(
    account: PortalAccount,
    *,
    clinic: Clinic | None = None,
    days: int = 3,
    hour: int = 10,
    service_name: str = "",
) -> Appointment:
    """A booking ``days`` ahead at ``hour`` local time for the account's patient."""
    clinic = clinic or make_clinic()
    make_room(clinic)
    service = make_service(name=service_name) if service_name else make_service()
    practitioner = make_practitioner(clinic, service, first_name="Priya", last_name="Shah")
    zone = ZoneInfo(clinic.time_zone)
    day = (timezone.now().astimezone(zone) + timedelta(days=days)).date()
    appointment = book(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        start=datetime.combine(day, time(hour), tzinfo=zone),
        now=timezone.now(),
    ).appointment
    Appointment.objects.filter(pk=appointment.pk).update(patient=account.patient)
    appointment.refresh_from_db()
    return appointment


def test_today_lists_the_patients_upcoming_appointments_with_manage_links() -> None:
    account = patient_with_account(first_name="Sam")
    appointment = booked_for(
        account,
        clinic=make_clinic(name="Riverside Spine Clinic"),
        service_name="Physiotherapy review",
    )

    response = signed_in(account).get("/portal/")

    assert response.status_code == 200
    page = response.text
    assert "Physiotherapy review with Priya Shah" in page
    assert "Riverside Spine Clinic" in page
    assert "10:00" in page
    [upcoming] = response.context["appointments"]
    assert upcoming.appointment == appointment
    assert upcoming.manage_url.startswith("/manage/")
    assert f'href="{upcoming.manage_url}"' in page


def test_another_patients_appointments_never_show() -> None:
    mine = patient_with_account(first_name="Sam")
    theirs = patient_with_account(first_name="Ola", email="ola@example.org")
    booked_for(theirs)

    response = signed_in(mine).get("/portal/")

    assert response.context["appointments"] == []
    assert "You have no appointments booked." in response.text


def test_cancelled_and_past_appointments_are_not_upcoming() -> None:
    account = patient_with_account()
    cancelled = booked_for(account)
    cancel_appointment(appointment=cancelled, reason="patient", now=timezone.now())
    past = booked_for(account, days=4)
    start, end = datetime(2020, 1, 1, 10, tzinfo=UTC), datetime(2020, 1, 1, 11, tzinfo=UTC)
    Appointment.objects.filter(pk=past.pk).update(
        start=start, end=end, occupied_start=start, occupied_end=end
    )

    response = signed_in(account).get("/portal/")

    assert response.context["appointments"] == []


def test_reading_appointments_is_written_to_the_access_log_as_the_patient() -> None:
    account = patient_with_account()
    booked_for(account)

    signed_in(account).get("/portal/")

    entry = AccessLogEntry.objects.get(object_type="appointment_list")
    assert entry.user == account.user
    assert entry.patient_id == account.patient_id
    assert entry.action == "read"
    assert entry.path == "/portal/"


def test_the_page_speaks_the_locale_of_the_patients_clinic() -> None:
    account = patient_with_account()
    los_angeles = make_clinic(
        name="Valley Spine Center", time_zone="America/Los_Angeles", locale="en-US",
        phone="+12135550123", currency="USD",
    )  # fmt: skip
    booked_for(account, clinic=los_angeles, hour=14)

    response = signed_in(account).get("/portal/")

    assert '<html lang="en-US">' in response.text
    assert "2:00 PM" in response.text


def test_a_patient_with_no_clinic_yet_reads_british_english() -> None:
    response = signed_in(patient_with_account()).get("/portal/")

    assert '<html lang="en-GB">' in response.text


def test_the_account_page_shows_the_patients_own_details_and_logs_the_read() -> None:
    account = patient_with_account(first_name="Sam", last_name="Taylor")

    response = signed_in(account).get("/portal/account/")

    assert "Sam Taylor" in response.text
    assert AccessLogEntry.objects.filter(
        user=account.user, patient_id=account.patient_id, object_type="patient"
    ).exists()
