"""Django's flush, able to empty the append-only audit table too.

Flushing wipes every table by design (tests between transactional cases, a developer
starting over); the audit triggers would refuse that, so they step aside for the one
transaction that empties the database and come back unchanged.
"""

from django.core.management.commands import flush
from django.db import connections

from memadmin.audit.triggers import suspended_triggers


class Command(flush.Command):
    def handle(self, **options):
        with suspended_triggers(connections[options["database"]]):
            return super().handle(**options)
