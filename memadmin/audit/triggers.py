"""The append-only triggers on the audit tables (migrations 0002, 0004): find, suspend, restore.

Only tests suspend them: those that play the tamperer, and the clean-up between tests
that commit (memadmin's own `flush` refuses to empty the audit log).
"""

from contextlib import contextmanager

from django.db import transaction

from memadmin.audit.models import AuditCheckpoint, AuditEvent

TABLE = AuditEvent._meta.db_table
TABLES = (TABLE, AuditCheckpoint._meta.db_table)


def trigger_definitions(connection, table: str = TABLE) -> dict[str, str]:
    """Each trigger on an audit table, by name, with the SQL that recreates it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal",
                [table],
            )
        else:
            return {}
        return dict(cursor.fetchall())


@contextmanager
def suspended_triggers(connection, tables: tuple[str, ...] = (TABLE,)):
    """Drops the triggers for the length of one transaction and recreates them exactly."""
    with transaction.atomic(using=connection.alias):
        definitions = {}
        with connection.cursor() as cursor:
            for table in tables:
                found = trigger_definitions(connection, table)
                definitions.update(found)
                quoted_table = connection.ops.quote_name(table)
                for name in found:
                    on_table = f" ON {quoted_table}" if connection.vendor == "postgresql" else ""
                    cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}{on_table}")
        yield
        with connection.cursor() as cursor:
            for sql in definitions.values():
                cursor.execute(sql, None)


def empty_audit_tables(connection) -> None:
    """Deletes every event, checkpoint and search entry: for tests that commit, only."""
    with suspended_triggers(connection, TABLES), connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO audit_eventsearch(audit_eventsearch) VALUES ('delete-all')")
