"""The booking write path: the directory slice it reads in its transaction, its query
budget, and the confirmation it hands to the task backend."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facetcare.booking.claim_reads import practitioner_day
from facetcare.booking.models import Appointment
from facetcare.clinics.models import Closure, WorkingHours
from facetcare.errors import InvalidInput, SlotTaken
from facetcare.patients.models import Patient
from tests.booking.conftest import NOW, World
from tests.factories import book, local, make_clinic, make_practitioner, make_room, make_service

MONDAY = date(2026, 3, 2)


def test_the_day_slice_holds_the_practitioners_hours_the_clinic_calendar_and_equipped_rooms(
    world: World,
) -> None:
    couch = make_room(world.clinic, equipment=("couch", "ultrasound"))
    make_room(world.clinic, equipment=("ultrasound",))
    make_room(world.clinic, equipment=("couch",), is_active=False)
    service = make_service(required_equipment=["couch"])
    Closure.objects.create(clinic=world.clinic, first_day=MONDAY, last_day=MONDAY)
    Closure.objects.create(
        clinic=world.clinic, first_day=date(2026, 4, 1), last_day=date(2026, 4, 2)
    )

    day = practitioner_day(
        service=service,
        clinic=world.clinic,
        practitioner_id=world.practitioner.pk,
        local_day=MONDAY,
    )

    roster = day.roster
    rows = roster.clinics[0]
    assert [room.room_id for room in rows.rooms] == [couch.pk]
    assert rows.rooms[0].equipment == frozenset({"couch", "ultrasound"})
    assert [(c.first_day, c.last_day) for c in rows.closures] == [(MONDAY, MONDAY)]
    assert sorted(h.weekday for h in rows.opening) == list(range(7))
    assert rows.opening[0].start == time(8)
    (schedule,) = roster.schedules[world.clinic.pk]
    assert {h.weekday for h in schedule.working} == set(range(7))
    assert schedule.working[0].valid_from == date(2020, 1, 1)
    assert schedule.working[0].valid_until is None
    assert (day.offers_service, day.listed_at_clinic) == (False, True)


def test_it_refuses_a_booking_on_a_day_the_clinic_is_closed(world: World) -> None:
    Closure.objects.create(clinic=world.clinic, first_day=MONDAY, last_day=MONDAY)

    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=local(MONDAY, 10), now=NOW)

    assert refused.value.field == "start"
    assert not Appointment.objects.exists()


def test_it_refuses_a_booking_after_the_practitioners_hours_there_have_ended(
    world: World,
) -> None:
    WorkingHours.objects.filter(practitioner=world.practitioner).update(
        valid_until=MONDAY - timedelta(days=1)
    )

    with pytest.raises(InvalidInput) as refused:
        book(**_args(world), start=local(MONDAY, 10), now=NOW)

    assert refused.value.field == "start"


def test_it_books_the_second_half_of_a_split_shift(db: None) -> None:
    clinic = make_clinic()
    make_room(clinic)
    service = make_service()
    practitioner = make_practitioner(clinic, service, hours=(time(8), time(12)))
    WorkingHours.objects.create(
        practitioner=practitioner,
        clinic=clinic,
        weekday=MONDAY.weekday(),
        starts=time(14),
        ends=time(18),
        valid_from=date(2020, 1, 1),
    )

    booked = book(service=service, clinic=clinic, practitioner=practitioner,
                  start=local(MONDAY, 15), now=NOW)  # fmt: skip

    assert booked.appointment.start == local(MONDAY, 15)
    with pytest.raises(InvalidInput):
        book(service=service, clinic=clinic, practitioner=practitioner,
             start=local(MONDAY, 12, 30), now=NOW)  # fmt: skip


def test_it_refuses_a_slot_when_no_room_carries_the_equipment(world: World) -> None:
    service = make_service(required_equipment=["x-ray"])
    world.practitioner.services.add(service)

    # The engine finds no room for the slot, as when every equipped room is taken.
    with pytest.raises(SlotTaken):
        book(service=service, clinic=world.clinic, practitioner=world.practitioner,
             start=local(MONDAY, 10), now=NOW)  # fmt: skip
    assert not Appointment.objects.exists()


def test_a_booking_for_a_new_patient_takes_six_statements(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        book(**_args(world), start=local(MONDAY, 10), now=NOW)

    statements = [q["sql"] for q in queries.captured_queries]
    # The day slice with the offer check, the live bookings and (PostgreSQL) the
    # locks, in one statement; the patient lookup and insert; the appointment
    # insert, guarded; plus the transaction's BEGIN (as the test's savepoint) and
    # COMMIT (its release).
    assert len(statements) == 6, statements
    assert Patient.objects.count() == 1


def test_the_confirmation_goes_through_the_task_backend_with_the_appointment_id(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    from django.tasks.signals import task_enqueued

    enqueued: list[tuple[str, list[object]]] = []

    def record(sender: object, task_result: object, **_: object) -> None:
        enqueued.append((task_result.task.name, list(task_result.args)))  # type: ignore[attr-defined]

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            booked = book(**_args(world), start=local(MONDAY, 10), now=NOW)
    finally:
        task_enqueued.disconnect(record)

    assert enqueued == [("send_booking_confirmation", [booked.appointment.pk])]
    assert mail.outbox[0].subject.startswith("Booking confirmed")


def _args(world: World) -> dict[str, object]:
    return {"service": world.service, "clinic": world.clinic, "practitioner": world.practitioner}
