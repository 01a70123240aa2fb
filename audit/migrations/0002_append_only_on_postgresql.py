"""On PostgreSQL the database itself refuses to change or delete the read log, whatever
code or account tries (the ORM refuses on every database, see models.py)."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION audit_readlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_readlogentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_readlog_append_only
    BEFORE UPDATE OR DELETE ON audit_readlogentry
    FOR EACH ROW EXECUTE FUNCTION audit_readlog_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS audit_readlog_append_only ON audit_readlogentry;
DROP FUNCTION IF EXISTS audit_readlog_append_only();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forbid, allow)]
