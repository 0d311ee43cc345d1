"""A booking decides on its slot from the read that takes its locks, which may predate
them, then claims it with a later statement: when another booking reached the slot
first, it reads again and decides again."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError
from django.db.models.signals import post_save

from facetcare import plain_sql
from facetcare.booking import claim_reads, services
from facetcare.booking.models import Appointment
from facetcare.clinics.models import Practitioner, Room, Service
from facetcare.errors import SlotTaken
from facetcare.patients.models import Patient
from facetcare.patients.services import PatientDetails, find_or_create_patient
from tests.booking.conftest import NOW, World
from tests.factories import book, local, make_patient, make_practitioner, make_room, make_service

TEN = local(NOW.date(), 10)


def _occupy(practitioner: Practitioner, room: Room, service: Service, *, key: str) -> Appointment:
    """A live booking made straight in the database, as another transaction's would be."""
    return Appointment.objects.create(
        patient=make_patient(),
        service=service,
        clinic=room.clinic,
        practitioner=practitioner,
        room=room,
        start=TEN,
        end=TEN + timedelta(minutes=service.duration_minutes),
        occupied_start=TEN,
        occupied_end=TEN + timedelta(minutes=service.duration_minutes),
        session_key=key,
        channel="staff",
        price="60.00",
        currency="GBP",
    )


@pytest.fixture
def meanwhile(monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], object]]:
    """Things to do after the booking's first read and before its claim: the patient
    step lies between them."""
    pending: list[Callable[[], object]] = []

    def patient_then_competitor(*, details: PatientDetails) -> Patient:
        patient = find_or_create_patient(details=details)
        for competitor in pending:
            competitor()
        pending.clear()
        return patient

    monkeypatch.setattr(services, "find_or_create_patient", patient_then_competitor)
    return pending


@pytest.fixture
def rereads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a booking read again under the locks."""
    calls: list[int] = []
    original = claim_reads.read_live_again

    def counted(claim: claim_reads.Claim) -> Any:
        calls.append(1)
        return original(claim)

    monkeypatch.setattr(claim_reads, "read_live_again", counted)
    return calls


def test_a_booking_nobody_competes_with_is_claimed_without_reading_again(
    world: World, rereads: list[int]
) -> None:
    booked = book(**_args(world), start=TEN, now=NOW).appointment

    assert booked.room_id == world.room.pk
    assert rereads == []


def test_when_another_practitioner_took_the_room_meanwhile_it_takes_the_next_free_room(
    world: World, meanwhile: list[Callable[[], object]], rereads: list[int]
) -> None:
    second_room = make_room(world.clinic)
    colleague = make_practitioner(world.clinic, world.service)
    meanwhile.append(lambda: _occupy(colleague, world.room, world.service, key="appt:other"))

    booked = book(**_args(world), start=TEN, now=NOW).appointment

    assert booked.room_id == second_room.pk
    assert rereads == [1]
    assert Appointment.objects.filter(start=TEN).count() == 2


def test_when_the_practitioner_was_booked_meanwhile_it_is_slot_taken_and_nothing_is_left(
    world: World, meanwhile: list[Callable[[], object]]
) -> None:
    make_room(world.clinic)
    other_room = make_room(world.clinic)
    meanwhile.append(
        lambda: _occupy(world.practitioner, other_room, world.service, key="appt:other")
    )

    with pytest.raises(SlotTaken):
        book(**_args(world), start=TEN, now=NOW)

    # Nothing is left: the competitor was made inside the refused transaction here.
    assert not Appointment.objects.exists()
    assert not Patient.objects.filter(email="sam.taylor@example.org").exists()


def test_a_class_that_filled_meanwhile_is_refused_as_full(
    world: World, meanwhile: list[Callable[[], object]]
) -> None:
    pilates = _class(world, places=2)
    key = f"class:{pilates.pk}:{world.practitioner.pk}:{TEN.isoformat()}"
    _occupy(world.practitioner, world.room, pilates, key=key)
    meanwhile.append(lambda: _occupy(world.practitioner, world.room, pilates, key=key))

    with pytest.raises(SlotTaken, match="class is full"):
        book(service=pilates, clinic=world.clinic, practitioner=world.practitioner,
             start=TEN, now=NOW)  # fmt: skip

    assert Appointment.objects.filter(session_key=key).count() == 1  # as before the attempt


def test_a_class_place_freed_and_taken_meanwhile_still_leaves_one_place(
    world: World, meanwhile: list[Callable[[], object]], rereads: list[int]
) -> None:
    pilates = _class(world, places=3)
    key = f"class:{pilates.pk}:{world.practitioner.pk}:{TEN.isoformat()}"
    first = _occupy(world.practitioner, world.room, pilates, key=key)

    def swap() -> None:
        Appointment.objects.filter(pk=first.pk).update(status=Appointment.Status.CANCELLED)
        _occupy(world.practitioner, world.room, pilates, key=key)

    meanwhile.append(swap)

    booked = book(service=pilates, clinic=world.clinic, practitioner=world.practitioner,
                  start=TEN, now=NOW).appointment  # fmt: skip

    assert booked.session_key == key
    assert rereads == []  # the same number of places taken: the claim still holds
    assert Appointment.objects.filter(session_key=key).exclude(status="cancelled").count() == 2


def test_a_guarded_insert_whose_condition_fails_saves_nothing_and_says_so(
    world: World,
) -> None:
    saved: list[object] = []

    def record(sender: type, instance: Patient, **extra: object) -> None:
        saved.append(instance)

    post_save.connect(record, sender=Patient)
    try:
        refused = Patient(first_name="Ada", last_name="Byron", date_of_birth="1980-02-03",
                          email="ada@example.org", phone="+442079460000")  # fmt: skip
        inserted = plain_sql.insert(refused, only_if=("1 = %s", [0]))
        kept = Patient(first_name="Bo", last_name="Byron", date_of_birth="1980-02-03",
                       email="bo@example.org", phone="+442079460000")  # fmt: skip
        inserted_too = plain_sql.insert(kept, only_if=("1 = %s", [1]))
    finally:
        post_save.disconnect(record, sender=Patient)

    assert (inserted, inserted_too) == (False, True)
    assert refused.pk is None
    assert list(Patient.objects.values_list("first_name", flat=True)) == ["Bo"]
    assert saved == [kept]


@pytest.mark.postgres
def test_statements_run_in_turn_stop_at_an_error_that_django_names(world: World) -> None:
    appointment = _occupy(world.practitioner, world.room, world.service, key="appt:one")
    duplicate = (
        "INSERT INTO booking_appointment (patient_id, service_id, clinic_id, practitioner_id, "
        'room_id, start, "end", occupied_start, occupied_end, session_key, status, channel, '
        "price, discount, currency, request_fingerprint, manage_secret, created_at, "
        "cancellation_reason) SELECT patient_id, service_id, clinic_id, practitioner_id, "
        "room_id, start, \"end\", occupied_start, occupied_end, 'appt:two', status, channel, "
        "price, discount, currency, '', 'x', created_at, '' FROM booking_appointment "
        "WHERE id = %s"
    )

    with pytest.raises(IntegrityError) as refused:
        plain_sql.fetch_each([("SELECT %s", [1]), (duplicate, [appointment.pk]),
                              ("SELECT %s", [2])])  # fmt: skip

    assert getattr(refused.value.__cause__, "sqlstate", None) == "23P01"


def _class(world: World, *, places: int) -> Service:
    Room.objects.filter(pk=world.room.pk).update(capacity=places)
    pilates = make_service(capacity=places, duration_minutes=60)
    world.practitioner.services.add(pilates)
    return pilates


def _args(world: World) -> dict[str, object]:
    return {"service": world.service, "clinic": world.clinic, "practitioner": world.practitioner}
