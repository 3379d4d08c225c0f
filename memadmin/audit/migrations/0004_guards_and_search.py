"""Closes the append-only gaps and adds the full-text search index.

- SQLite: `INSERT OR REPLACE` deletes the row it collides with without firing DELETE
  triggers (unless recursive_triggers is on), so a BEFORE INSERT trigger refuses any insert
  that collides with an existing event or checkpoint.
- Checkpoints get the same UPDATE/DELETE/TRUNCATE refusals as events.
- Search: an FTS5 index kept by an AFTER INSERT trigger on SQLite; a GIN index over the
  same words on PostgreSQL. `memadmin.audit.search` queries both the same way.

The SQL is written out here so this migration keeps meaning what it meant when it ran.
On SQLite, a later migration that rebuilds the audit table drops every trigger on it and
must create them again (0002's and these).
"""

from django.db import migrations

# The searched fields, joined by spaces; punctuation splits words on both databases.
SEARCHED_COLUMNS = (
    "action",
    "actor_username",
    "target_type",
    "target_id",
    "target_label",
    "store_id",
    "trait_group",
    "diff_summary",
    "detail",
    "request_id",
)


def _joined(prefix: str) -> str:
    return " || ' ' || ".join(f"{prefix}{column}" for column in SEARCHED_COLUMNS)


SQLITE_CREATE = [
    """
    CREATE TRIGGER audit_auditevent_no_replace BEFORE INSERT ON audit_auditevent
    WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id OR hash = NEW.hash
                 OR prev_hash = NEW.prev_hash)
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: an insert may not replace an event');
    END
    """,
    """
    CREATE TRIGGER audit_auditcheckpoint_no_replace BEFORE INSERT ON audit_auditcheckpoint
    WHEN EXISTS (SELECT 1 FROM audit_auditcheckpoint WHERE id = NEW.id)
    BEGIN
        SELECT RAISE(ABORT, 'audit checkpoints are append-only: an insert may not replace one');
    END
    """,
    """
    CREATE TRIGGER audit_auditcheckpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint
    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_auditcheckpoint_no_delete BEFORE DELETE ON audit_auditcheckpoint
    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: DELETE refused'); END
    """,
    """
    CREATE VIRTUAL TABLE audit_eventsearch USING fts5(
        body, content='', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER audit_auditevent_index_search AFTER INSERT ON audit_auditevent
    BEGIN
        INSERT INTO audit_eventsearch(rowid, body) VALUES (NEW.id, {_joined("NEW.")});
    END
    """,  # noqa: S608 - column names from the constant above, no input
    f"INSERT INTO audit_eventsearch(rowid, body) SELECT id, {_joined('')} FROM audit_auditevent",  # noqa: S608
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_index_search",
    "DROP TABLE IF EXISTS audit_eventsearch",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_update",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_replace",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_replace",
]

POSTGRESQL_CREATE = [
    """
    CREATE TRIGGER audit_auditcheckpoint_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
    """
    CREATE TRIGGER audit_auditcheckpoint_no_truncate
    BEFORE TRUNCATE ON audit_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
    f"""
    CREATE INDEX audit_search_gin ON audit_auditevent USING gin (
        to_tsvector('simple'::regconfig,
                    regexp_replace({_joined("")}, '[[:punct:]]+', ' ', 'g'))
    )
    """,
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS audit_search_gin",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_truncate ON audit_auditcheckpoint",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_update_delete ON audit_auditcheckpoint",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def create(apps, schema_editor):
    statements, _ = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    _, statements = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_checkpoints_and_lookup_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
