"""The write path's plain SQL helpers do what the ORM would."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db.models.signals import post_save, pre_save

from facetcare.clinics.models import Clinic, Room
from facetcare.patients.models import Patient
from facetcare.plain_sql import insert, instance_from_row
from tests.factories import make_clinic


def test_insert_saves_a_new_record_as_save_would(db: None) -> None:
    seen: list[tuple[str, bool]] = []

    def record(signal: str) -> Callable[..., None]:
        def receiver(sender: type, instance: Patient, **extra: object) -> None:
            seen.append((signal, instance.pk is not None))

        return receiver

    before, after = record("pre"), record("post")
    pre_save.connect(before, sender=Patient)
    post_save.connect(after, sender=Patient)
    try:
        patient = Patient(first_name="Ada", last_name="Byron", date_of_birth="1980-02-03",
                          email="ada@example.org", phone="+442079460000")  # fmt: skip
        insert(patient)
    finally:
        pre_save.disconnect(before, sender=Patient)
        post_save.disconnect(after, sender=Patient)

    stored = Patient.objects.get(pk=patient.pk)
    assert stored.first_name == "Ada"
    assert stored.created_at is not None  # auto_now_add ran
    assert stored.contact_by_email == Patient._meta.get_field("contact_by_email").default
    assert not patient._state.adding
    assert seen == [("pre", False), ("post", True)]


def test_instance_from_row_converts_each_column_and_defers_the_rest(db: None) -> None:
    room = Room.objects.create(clinic=make_clinic(), name="Suite", equipment=["fluoroscopy"])

    loaded = instance_from_row(Room, ("id", "equipment", "capacity"), (room.pk, '["x"]', "2"))

    assert (loaded.pk, loaded.equipment, loaded.capacity) == (room.pk, ["x"], 2)
    assert loaded.get_deferred_fields() >= {"name", "is_active"}
    assert loaded.name == "Suite"  # read on first access


def test_instance_from_row_turns_text_into_decimals_and_refuses_datetimes(db: None) -> None:
    clinic = instance_from_row(Clinic, ("id", "latitude"), (1, "51.5"))

    assert clinic.latitude == Decimal("51.5")
    with pytest.raises(TypeError):
        instance_from_row(Patient, ("id", "created_at"), (1, "2026-01-01 00:00:00"))
