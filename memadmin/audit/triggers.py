"""The append-only triggers on audit_auditevent (created by migration 0002): find, suspend, restore.

Only `manage.py flush`, which empties the whole database anyway, and tests that play the
tamperer suspend them.
"""

from contextlib import contextmanager

from django.db import transaction

from memadmin.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def trigger_definitions(connection) -> dict[str, str]:
    """Each trigger on the audit table, by name, with the SQL that recreates it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal",
                [TABLE],
            )
        else:
            return {}
        return dict(cursor.fetchall())


@contextmanager
def suspended_triggers(connection):
    """Drops the triggers for the length of one transaction and recreates them exactly."""
    with transaction.atomic(using=connection.alias):
        definitions = trigger_definitions(connection)
        quoted_table = connection.ops.quote_name(TABLE)
        with connection.cursor() as cursor:
            for name in definitions:
                on_table = f" ON {quoted_table}" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}{on_table}")
        yield
        with connection.cursor() as cursor:
            for sql in definitions.values():
                cursor.execute(sql, None)
