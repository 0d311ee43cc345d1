"""The access log is append-only in the database itself (PostgreSQL).

A trigger refuses every UPDATE of an entry, and every DELETE unless the
deleting transaction has set ``facetcare.discard_fictional_access_log`` (only
``facetcare demo --reset`` does, for its made-up patients). The model and its
queryset refuse the same through the ORM on every database; SQLite has no
equivalent of this trigger that Django's test flush would tolerate, so there the
ORM's refusal is the control. TRUNCATE (used by a test flush and by restoring a
backup over a database) is left to the table's owner: run the application as a
role that does not own the tables to take that away too.
"""

from django.db import migrations

FUNCTION = "audit_access_log_append_only"
TRIGGER = "audit_access_log_append_only"

CREATE = [
    f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('facetcare.discard_fictional_access_log', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % of an entry is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
""",
    f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON audit_accesslogentry "
    f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
]

DROP = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_accesslogentry",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            # No parameters: the function body's "%" is PL/pgSQL's, not a placeholder.
            schema_editor.execute(statement, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_access_log_erase_action")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
