"""Drop the appointment indexes that composite ones already cover.

Each single-column foreign-key index here leads a composite index already
((patient, start), (clinic, start), (practitioner, occupied_start),
(room, occupied_start)), and the idempotency key's pattern-matching index on
PostgreSQL serves no query; each cost every booking's insert an index write.

The foreign-key indexes are dropped by name rather than by altering the fields,
which would also drop and re-validate each foreign key over the whole table.
"""

import django.db.models.deletion
from django.db import migrations, models

# Django's names for the single-column indexes, as migration 0001 created them.
FOREIGN_KEY_INDEXES = {
    "booking_appointment_clinic_id_2d421712": "clinic_id",
    "booking_appointment_patient_id_f60c2527": "patient_id",
    "booking_appointment_practitioner_id_c5262dca": "practitioner_id",
    "booking_appointment_room_id_0cdbc244": "room_id",
}


def _foreign_key(to):
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="appointments",
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_postgres_exclusion_constraints"),
        ("clinics", "0002_service_slot_step_minutes"),
        ("patients", "0003_patient_match_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appointment", name="clinic", field=_foreign_key("clinics.clinic")
                ),
                migrations.AlterField(
                    model_name="appointment",
                    name="patient",
                    field=_foreign_key("patients.patient"),
                ),
                migrations.AlterField(
                    model_name="appointment",
                    name="practitioner",
                    field=_foreign_key("clinics.practitioner"),
                ),
                migrations.AlterField(
                    model_name="appointment", name="room", field=_foreign_key("clinics.room")
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "booking_appointment" ("{column}")',
                )
                for name, column in FOREIGN_KEY_INDEXES.items()
            ],
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.UniqueConstraint(
                fields=("idempotency_key",), name="appointment_idempotency_key_unique"
            ),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
    ]
