"""The booking service: prices, patients, idempotency, eligibility, cancel and reschedule."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from facetcare.booking.models import Appointment
from facetcare.booking.services import cancel_appointment, reschedule_appointment
from facetcare.booking.tokens import is_valid_manage_token
from facetcare.clinics.models import Profession
from facetcare.errors import Conflict, InvalidInput, SlotTaken
from facetcare.patients.models import Patient
from facetcare.patients.services import PatientDetails
from facetcare.phones import display_phone
from facetcare.web.roles import Role
from tests.booking.conftest import NOW, World
from tests.factories import (
    book,
    local,
    make_clinic,
    make_patient,
    make_practitioner,
    make_room,
    make_service,
    patient_details,
)
from tests.web.staff import make_staff

MONDAY = date(2026, 3, 2)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return local(day, hour, minute)


def test_it_books_a_free_slot_at_the_online_price(world: World) -> None:
    result = book(**_args(world), start=at(10), now=NOW)

    appointment = result.appointment
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.start == at(10)
    assert appointment.end == at(10, 45)
    assert appointment.room == world.room
    assert (appointment.price, appointment.discount) == (Decimal("60.00"), Decimal("6.00"))
    assert appointment.currency == "GBP"
    assert is_valid_manage_token(appointment, result.manage_token)
    assert not result.replayed


def test_staff_bookings_pay_the_list_price(world: World) -> None:
    result = book(**_args(world), start=at(10), now=NOW, channel="phone")

    assert result.appointment.discount == Decimal("0.00")


def test_it_rounds_a_discount_half_up_to_the_cent(world: World) -> None:
    world.service.price = Decimal("45.50")
    world.service.online_discount_percent = Decimal("12.5")
    world.service.save()

    result = book(**_args(world), start=at(10), now=NOW)

    assert result.appointment.discount == Decimal("5.69")  # 5.6875


def test_it_widens_the_occupied_span_by_the_service_buffers(world: World) -> None:
    world.service.buffer_before_minutes = 15
    world.service.buffer_after_minutes = 10
    world.service.save()

    appointment = book(**_args(world), start=at(10), now=NOW).appointment

    assert appointment.occupied_start == at(9, 45)
    assert appointment.occupied_end == at(10, 55)


def test_it_reuses_a_patient_with_the_same_name_birth_date_and_email(world: World) -> None:
    existing = make_patient(email="SAM.TAYLOR@example.org")

    appointment = book(**_args(world), start=at(10), now=NOW).appointment

    assert appointment.patient == existing
    assert Patient.objects.count() == 1


def test_it_creates_a_new_patient_when_the_birth_date_differs(world: World) -> None:
    make_patient(date_of_birth=date(1990, 1, 1))

    book(**_args(world), start=at(10), now=NOW)

    assert Patient.objects.count() == 2


def test_it_emails_a_confirmation_only_after_the_booking_commits(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        book(**_args(world), start=at(10), now=NOW)
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert mail.outbox[0].to == ["sam.taylor@example.org"]
    assert "Monday 2 March 2026 at 10:00 GMT" in mail.outbox[0].body


def test_repeating_a_request_with_its_idempotency_key_returns_the_first_booking(
    world: World,
) -> None:
    first = book(**_args(world), start=at(10), now=NOW, idempotency_key="key-1")

    again = book(**_args(world), start=at(10), now=NOW, idempotency_key="key-1")

    assert again.replayed
    assert again.appointment.pk == first.appointment.pk
    assert again.manage_token == first.manage_token
    assert Appointment.objects.count() == 1


def test_reusing_an_idempotency_key_for_another_request_is_refused(world: World) -> None:
    book(**_args(world), start=at(10), now=NOW, idempotency_key="key-1")

    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=at(11), now=NOW, idempotency_key="key-1")

    assert refused.value.code == "idempotency_key_reused"
    assert Appointment.objects.count() == 1


def test_it_refuses_a_practitioner_who_does_not_offer_the_service(world: World) -> None:
    other_service = make_service()

    with pytest.raises(InvalidInput) as refused:
        book(**_args(world) | {"service": other_service}, start=at(10), now=NOW)

    assert refused.value.field == "practitioner"
    assert not Appointment.objects.exists()
    assert not Patient.objects.exists()


def test_it_refuses_a_practitioner_of_another_profession(world: World) -> None:
    world.practitioner.profession = Profession.PILATES_INSTRUCTOR
    world.practitioner.save()

    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=at(10), now=NOW)

    assert refused.value.field == "practitioner"


def test_it_refuses_a_practitioner_who_does_not_work_at_the_clinic(world: World) -> None:
    elsewhere = make_clinic()
    make_room(elsewhere)

    with pytest.raises(InvalidInput) as refused:
        book(**_args(world) | {"clinic": elsewhere}, start=at(10), now=NOW)

    assert refused.value.field == "practitioner"


def test_online_booking_of_a_staff_only_service_is_refused(world: World) -> None:
    world.service.online_bookable = False
    world.service.save()

    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=at(10), now=NOW)

    assert refused.value.field == "service"


def test_staff_may_book_a_staff_only_service(world: World) -> None:
    world.service.online_bookable = False
    world.service.save()

    result = book(**_args(world), start=at(10), now=NOW, channel="staff")

    assert result.appointment.channel == "staff"


def test_it_refuses_a_naive_start_time(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=datetime(2026, 3, 2, 10), now=NOW)

    assert refused.value.field == "start"
    assert "UTC offset" in refused.value.detail


def test_it_refuses_a_slot_in_the_past(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=at(10), now=at(12))

    assert refused.value.field == "start"


def test_it_refuses_a_slot_outside_opening_hours(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=at(19, 30), now=NOW)

    assert refused.value.field == "start"
    assert not Appointment.objects.exists()


def test_it_refuses_a_slot_beyond_the_booking_horizon(world: World) -> None:
    with pytest.raises(InvalidInput):
        book(**_args(world), start=at(10, day=MONDAY + timedelta(days=120)), now=NOW)


def test_it_refuses_a_slot_that_overlaps_a_booking_and_writes_nothing(world: World) -> None:
    book(**_args(world), start=at(10), now=NOW)

    with pytest.raises(SlotTaken):
        book(**_args(world), start=at(10, 30), now=NOW, patient_details=_other_patient())

    assert Appointment.objects.count() == 1
    assert Patient.objects.count() == 1


def test_a_class_takes_bookings_up_to_its_capacity(db: None) -> None:
    clinic = make_clinic()
    make_room(clinic, equipment=("studio",), capacity=3)
    pilates = make_service(
        category="class",
        capacity=2,
        required_equipment=["studio"],
        required_profession=Profession.PILATES_INSTRUCTOR,
        duration_minutes=60,
    )
    teacher = make_practitioner(clinic, pilates, profession=Profession.PILATES_INSTRUCTOR)
    args = {"service": pilates, "clinic": clinic, "practitioner": teacher, "now": NOW}

    first = book(**args, start=at(18)).appointment
    second = book(**args, start=at(18), patient_details=_other_patient()).appointment
    with pytest.raises(SlotTaken, match="full"):
        book(**args, start=at(18), patient_details=_other_patient("Kim"))

    assert first.session_key == second.session_key
    assert Appointment.objects.count() == 2


def test_cancelling_frees_the_slot(world: World) -> None:
    appointment = book(**_args(world), start=at(10), now=NOW).appointment

    cancel_appointment(appointment=appointment, reason="Feeling better", now=NOW)
    again = book(**_args(world), start=at(10), now=NOW, patient_details=_other_patient())

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancellation_reason == "Feeling better"
    assert again.appointment.start == at(10)


def test_a_cancelled_booking_cannot_be_cancelled_again(world: World) -> None:
    appointment = book(**_args(world), start=at(10), now=NOW).appointment
    cancel_appointment(appointment=appointment, now=NOW)

    with pytest.raises(Conflict):
        cancel_appointment(appointment=appointment, now=NOW)


def test_inside_the_minimum_notice_only_the_clinic_may_cancel_or_move(world: World) -> None:
    appointment = book(**_args(world), start=at(10), now=NOW).appointment
    too_late = at(10) - timedelta(minutes=world.service.min_notice_minutes - 1)

    with pytest.raises(InvalidInput) as cancelled:
        cancel_appointment(appointment=appointment, now=too_late)
    with pytest.raises(InvalidInput) as moved:
        reschedule_appointment(appointment=appointment, new_start=at(14), now=too_late)

    assert cancelled.value.code == moved.value.code == "too_late_to_change"
    assert display_phone(world.clinic.phone, world.clinic.locale) in cancelled.value.detail
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    staff = make_staff("rita", Role.RECEPTIONIST)
    cancel_appointment(appointment=appointment, by_user=staff, now=too_late)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_rescheduling_moves_the_booking_and_links_the_new_one_to_the_old(world: World) -> None:
    old = book(**_args(world), start=at(10), now=NOW).appointment

    result = reschedule_appointment(appointment=old, new_start=at(10, 30), now=NOW)

    old.refresh_from_db()
    new = result.appointment
    assert old.status == Appointment.Status.CANCELLED
    assert old.cancellation_reason == "Rescheduled"
    assert new.rescheduled_from == old
    assert new.start == at(10, 30)
    assert (new.price, new.discount, new.patient) == (old.price, old.discount, old.patient)
    assert is_valid_manage_token(new, result.manage_token)


def test_rescheduling_into_a_taken_slot_keeps_the_original_booking(world: World) -> None:
    old = book(**_args(world), start=at(10), now=NOW).appointment
    book(**_args(world), start=at(14), now=NOW, patient_details=_other_patient())

    with pytest.raises(SlotTaken):
        reschedule_appointment(appointment=old, new_start=at(14), now=NOW)

    old.refresh_from_db()
    assert old.status == Appointment.Status.BOOKED
    assert old.cancelled_at is None
    assert Appointment.objects.count() == 2


def test_rescheduling_to_an_impossible_time_keeps_the_original_booking(world: World) -> None:
    old = book(**_args(world), start=at(10), now=NOW).appointment

    with pytest.raises(InvalidInput):
        reschedule_appointment(appointment=old, new_start=at(22), now=NOW)

    old.refresh_from_db()
    assert old.status == Appointment.Status.BOOKED


def _args(world: World) -> dict[str, object]:
    return {
        "service": world.service,
        "clinic": world.clinic,
        "practitioner": world.practitioner,
    }


def _other_patient(first_name: str = "Jo") -> PatientDetails:
    return patient_details(first_name=first_name, email=f"{first_name.lower()}@example.org")
