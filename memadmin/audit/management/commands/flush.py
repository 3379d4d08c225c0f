"""Django's flush, refusing to empty the audit log.

An append-only log that one command can wipe is not append-only. Flush still empties
every other table when the audit log is empty (a fresh database, or tests that removed
their own events); otherwise it refuses and says why. The triggers step aside only for
that check-and-flush transaction, which holds the tables' lock, so nothing lands between.
To start over, drop the database (or delete its SQLite file): that is visible outside
memadmin, which an emptied audit table would not be.
"""

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from memadmin.audit.models import AuditCheckpoint, AuditEvent
from memadmin.audit.triggers import TABLES, suspended_triggers


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        existing = set(connection.introspection.table_names())
        tables = tuple(table for table in TABLES if table in existing)
        with suspended_triggers(connection, tables):
            for model in (AuditEvent, AuditCheckpoint):
                if (
                    model._meta.db_table in tables
                    and model.objects.using(connection.alias).exists()
                ):
                    raise CommandError(
                        "flush refused: the audit log is append-only and holds events. "
                        "Drop the database (or delete its SQLite file) to start over."
                    )
            return super().handle(**options)
