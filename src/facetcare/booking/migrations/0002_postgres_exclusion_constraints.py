"""PostgreSQL exclusion constraints that make double booking impossible.

Two live (not cancelled) appointments may not occupy overlapping time on the
same practitioner, or in the same room, unless they are attendees of the same
class session (equal ``session_key``). SQLite has no exclusion constraints; there
the booking service serialises writes instead, so this migration does nothing.
"""

from django.db import migrations

CONSTRAINTS = {
    "appointment_no_practitioner_overlap": "practitioner_id",
    "appointment_no_room_overlap": "room_id",
}


def create_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE booking_appointment ADD CONSTRAINT {name} EXCLUDE USING gist ("
            f"{column} WITH =, "
            "tstzrange(occupied_start, occupied_end, '[)') WITH &&, "
            "session_key WITH <>"
            ") WHERE (status <> 'cancelled')"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create_constraints, drop_constraints, elidable=False)]
