"""Recomputes the audit hash chain and names the first event that does not fit."""

from django.core.management.base import BaseCommand, CommandError

from memadmin.audit import selectors
from memadmin.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Checks every audit event's hash and link; exits 1 at the first broken link."

    def handle(self, **options):
        broken = selectors.verify_chain()
        if broken is not None:
            raise CommandError(f"Audit chain broken at event {broken.event_id}: {broken.reason}.")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
