"""The access log can be added to and read, never changed or emptied: not through the
ORM on any database, and not even by raw SQL on PostgreSQL."""

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from facetcare.audit.models import AccessLogEntry, AppendOnly
from facetcare.audit.services import discard_fictional_access_log, log_access
from facetcare.patients.records import get_patient
from tests.factories import make_patient
from tests.pathway.world import ClinicalWorld


def _read(cw: ClinicalWorld) -> AccessLogEntry:
    get_patient(patient_id=cw.patient.pk, acting_user=cw.receptionist)
    return AccessLogEntry.objects.get(patient=cw.patient)


def test_saving_a_changed_entry_is_refused_and_the_row_keeps_its_values(
    cw: ClinicalWorld,
) -> None:
    entry = _read(cw)
    entry.action = "amend"
    entry.user = cw.manager

    with pytest.raises(AppendOnly, match="append-only"):
        entry.save()

    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.user) == ("read", cw.receptionist)


def test_deleting_an_entry_is_refused(cw: ClinicalWorld) -> None:
    entry = _read(cw)

    with pytest.raises(AppendOnly):
        entry.delete()

    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_and_bulk_delete_through_the_queryset_are_refused(cw: ClinicalWorld) -> None:
    _read(cw)
    entries = AccessLogEntry.objects.filter(patient=cw.patient)

    with pytest.raises(AppendOnly):
        entries.update(path="/rewritten/")
    with pytest.raises(AppendOnly):
        entries.delete()
    with pytest.raises(AppendOnly):
        AccessLogEntry.objects.all().delete()

    assert list(entries.values_list("path", flat=True)) == [""]


def test_a_new_entry_given_an_existing_id_cannot_overwrite_that_entry(cw: ClinicalWorld) -> None:
    entry = _read(cw)
    forged = AccessLogEntry(
        pk=entry.pk,
        user=cw.manager,
        action="read",
        patient=cw.patient,
        object_type="patient",
        at=datetime(2020, 1, 1, tzinfo=UTC),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()

    assert AccessLogEntry.objects.get(pk=entry.pk).user == cw.receptionist


def test_the_demo_reset_may_discard_the_entries_of_the_patients_it_names_only(
    cw: ClinicalWorld,
) -> None:
    fictional = make_patient(first_name="Demo", email="demo@demo.example")
    log_access(user=cw.manager, action="read", patient_id=fictional.pk, object_type="patient")
    kept = _read(cw)

    deleted = discard_fictional_access_log(patient_ids=[fictional.pk])

    assert deleted == 1
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.postgres
def test_on_postgresql_a_raw_update_or_delete_is_refused_by_the_database(
    cw: ClinicalWorld,
) -> None:
    entry = _read(cw)
    table = AccessLogEntry._meta.db_table

    for statement in (
        f"UPDATE {table} SET path = '/rewritten/' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])

    assert AccessLogEntry.objects.get(pk=entry.pk).path == ""


@pytest.mark.postgres
def test_on_postgresql_the_discard_switch_lasts_only_for_its_own_deletion(
    cw: ClinicalWorld,
) -> None:
    fictional = make_patient(first_name="Demo", email="demo@demo.example")
    log_access(user=cw.manager, action="read", patient_id=fictional.pk, object_type="patient")
    kept = _read(cw)

    with transaction.atomic():
        assert discard_fictional_access_log(patient_ids=[fictional.pk]) == 1
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=kept.pk)._raw_delete(connection.alias)

    assert AccessLogEntry.objects.filter(pk=kept.pk).exists()
