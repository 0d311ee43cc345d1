"""Under real concurrency on PostgreSQL a slot is sold once, and the database
itself refuses an overlap even when the booking service is bypassed."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from facetcare.booking.claim_reads import lock_and_read_live, practitioner_day
from facetcare.booking.models import Appointment
from facetcare.booking.services import book_appointment
from facetcare.clinics.models import Profession
from facetcare.core.scheduling.types import Interval, Slot
from facetcare.errors import SlotTaken
from facetcare.patients.models import Patient
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

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TEN = local(NOW.date(), 10)


def race(attempts: list[Callable[[], object]]) -> Counter[str]:
    """Run every attempt in its own thread and connection, released together."""
    barrier = threading.Barrier(len(attempts))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(attempt: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            attempt()
            outcome = "booked"
        except SlotTaken:
            outcome = "taken"
        except Exception as error:  # any other outcome fails the test, by name
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_fifty_patients_racing_for_one_slot_leave_exactly_one_booking(world: World) -> None:
    def attempt(n: int) -> Callable[[], object]:
        details = patient_details(first_name=f"Racer{n}", email=f"racer{n}@example.org")
        return lambda: book(
            service=world.service,
            clinic=world.clinic,
            practitioner=world.practitioner,
            start=TEN,
            now=NOW,
            patient_details=details,
        )

    outcomes = race([attempt(n) for n in range(50)])

    assert outcomes == Counter({"booked": 1, "taken": 49})
    assert Appointment.objects.count() == 1
    assert Patient.objects.count() == 1


def test_two_practitioners_racing_for_one_equipped_room_leave_one_booking(db: None) -> None:
    clinic = make_clinic()
    make_room(clinic, equipment=("fluoroscopy",))
    make_room(clinic)  # no fluoroscope: never a candidate
    # A consultation that needs the fluoroscopy suite: the race is for the room;
    # the procedure policy gate has its own tests (test_procedure_policy.py).
    injection = make_service(
        category="consultation",
        required_equipment=["fluoroscopy"],
        required_profession=Profession.PAIN_CONSULTANT,
    )
    consultants = [
        make_practitioner(clinic, injection, profession=Profession.PAIN_CONSULTANT)
        for _ in range(2)
    ]
    patient = make_patient()

    def attempt(n: int) -> Callable[[], object]:
        return lambda: book_appointment(
            service=injection,
            clinic=clinic,
            practitioner=consultants[n % 2],
            start=TEN,
            patient=patient,
            channel="staff",
            now=NOW,
        )

    outcomes = race([attempt(n) for n in range(20)])

    assert outcomes == Counter({"booked": 1, "taken": 19})
    assert Appointment.objects.count() == 1


def test_a_booking_waiting_for_the_lock_then_reads_what_its_holder_committed(
    world: World,
) -> None:
    # Given one transaction holding the practitioner's lock while it books
    patient = make_patient()
    holding, done = threading.Event(), threading.Event()
    window = Interval(TEN - timedelta(hours=1), TEN + timedelta(hours=2))
    day = practitioner_day(
        service=world.service,
        clinic=world.clinic,
        practitioner_id=world.practitioner.pk,
        local_day=TEN.date(),
    )
    seen: list[int] = []

    def holder() -> None:
        with transaction.atomic():
            lock_and_read_live(day=day, practitioner_id=world.practitioner.pk, window=window)
            holding.set()
            time.sleep(0.5)  # the waiter is blocked on the lock meanwhile
            _insert(world, patient, TEN, "appt:holder")
        connection.close()

    def waiter() -> None:
        holding.wait(timeout=30)
        with transaction.atomic():
            live = lock_and_read_live(day=day, practitioner_id=world.practitioner.pk, window=window)
            seen.append(len(live.bookings))
        connection.close()
        done.set()

    # When another takes the same lock, then reads
    threads = [threading.Thread(target=holder), threading.Thread(target=waiter)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then its read, a statement after the lock, sees the booking made meanwhile
    assert done.is_set()
    assert seen == [1]


def test_the_exclusion_constraint_turns_a_missed_overlap_into_slot_taken(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = book(**_args(world), start=TEN, now=NOW).appointment
    # Pretend the availability check missed the first booking: only the
    # database's exclusion constraint stands between us and a double booking.
    same_slot = Slot(
        first.start, first.end, world.clinic.pk, world.practitioner.pk, first.room_id, 1
    )
    monkeypatch.setattr("facetcare.core.scheduling.slots.check_slot", lambda **_: same_slot)

    with pytest.raises(SlotTaken):
        book(**_args(world), start=TEN, now=NOW, patient_details=patient_details(first_name="Jo"))

    assert Appointment.objects.count() == 1
    assert Patient.objects.count() == 1


def test_the_database_refuses_an_overlapping_insert_that_bypasses_the_service(
    world: World,
) -> None:
    patient = make_patient()
    _insert(world, patient, TEN, "appt:one")

    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(world, patient, TEN + timedelta(minutes=30), "appt:two")

    assert Appointment.objects.count() == 1


def test_the_database_refuses_two_practitioners_in_one_room_at_once(world: World) -> None:
    other = make_practitioner(world.clinic, world.service)
    patient = make_patient()
    _insert(world, patient, TEN, "appt:one")

    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(world, patient, TEN, "appt:two", practitioner=other)


def test_the_database_lets_class_attendees_and_cancelled_bookings_share_time(
    world: World,
) -> None:
    patient = make_patient()
    _insert(world, patient, TEN, "class:1")
    _insert(world, patient, TEN, "class:1")
    _insert(world, patient, TEN, "appt:gone", status=Appointment.Status.CANCELLED)

    assert Appointment.objects.count() == 3


def _insert(
    world: World, patient: Patient, start: datetime, key: str, **fields: object
) -> Appointment:
    values: dict[str, object] = {
        "patient": patient,
        "service": world.service,
        "clinic": world.clinic,
        "practitioner": world.practitioner,
        "room": world.room,
        "start": start,
        "end": start + timedelta(minutes=45),
        "occupied_start": start,
        "occupied_end": start + timedelta(minutes=45),
        "session_key": key,
        "channel": "staff",
        "price": "60.00",
        "currency": "GBP",
    }
    return Appointment.objects.create(**(values | fields))


def _args(world: World) -> dict[str, object]:
    return {"service": world.service, "clinic": world.clinic, "practitioner": world.practitioner}
