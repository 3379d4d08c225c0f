"""`python manage.py audit_checkpoint`: sign the audit chain's head now (and keep doing so)."""

from django.core.management.base import BaseCommand

from memadmin.audit.services import checkpoint_head
from memadmin.audit.tasks import schedule_checkpoint


class Command(BaseCommand):
    help = "Records a checkpoint of the audit chain's head (signed when AUDIT_SIGNING_KEY is set)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="also queue a background checkpoint every AUDIT_CHECKPOINT_MAX_AGE_SECONDS "
            "(idempotent)",
        )

    def handle(self, *, schedule: bool, **options):
        checkpoint = checkpoint_head()
        if checkpoint is None:
            self.stdout.write("The last checkpoint already covers the newest event.")
        else:
            signed = "signed" if checkpoint.is_signed else "UNSIGNED (no AUDIT_SIGNING_KEY)"
            self.stdout.write(
                f"Checkpoint {checkpoint.pk} at event {checkpoint.event_id}, {signed}."
            )
        if schedule and schedule_checkpoint():
            self.stdout.write("Queued the periodic checkpoint.")
