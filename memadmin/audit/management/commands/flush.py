"""Django's flush, refusing to empty the audit log.

An append-only log that one command can wipe is not append-only. Flush still empties
every other table when the audit log is empty (a fresh database); otherwise it refuses
and says why. To start over, delete the database file or drop the database instead:
that is visible outside memadmin, which an emptied audit table would not be.
"""

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from memadmin.audit.models import AuditCheckpoint, AuditEvent


class Command(flush.Command):
    def handle(self, **options):
        using = options["database"]
        connection = connections[using]
        tables = set(connection.introspection.table_names())
        kept = [model for model in (AuditEvent, AuditCheckpoint) if model._meta.db_table in tables]
        if any(model.objects.using(using).exists() for model in kept):
            raise CommandError(
                "flush refused: the audit log is append-only and holds events. "
                "Drop the database (or delete its SQLite file) to start over."
            )
        return super().handle(**options)
