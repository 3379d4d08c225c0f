"""Recomputes the audit hash chain, checks the signed checkpoints, and names every break."""

from django.core.management.base import BaseCommand, CommandError

from memadmin.audit import checkpoints, selectors
from memadmin.audit.models import AuditCheckpoint, AuditEvent


class Command(BaseCommand):
    help = (
        "Checks every audit event's hash and link, and every checkpoint against the events "
        "and its signature; lists every problem and exits 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--public-key",
            default="",
            help="the trusted public key (base64); by default the public half of AUDIT_SIGNING_KEY",
        )

    def handle(self, *, public_key: str, **options):
        try:
            trusted = (
                checkpoints.parse_public_key(public_key)
                if public_key
                else checkpoints.configured_public_key()
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        problems = selectors.verify_chain(public_key=trusted)
        for problem in problems:
            self.stderr.write(f"Audit chain broken at event {problem.event_id}: {problem.reason}.")
        if problems:
            first = problems[0]
            raise CommandError(
                f"Audit chain broken at event {first.event_id}: {first.reason}. "
                f"{len(problems)} problem(s) in all."
            )
        count = AuditEvent.objects.count()
        marks = AuditCheckpoint.objects.count()
        signed = AuditCheckpoint.objects.exclude(signature="").count()
        if trusted is None and signed:
            note = f"{signed} signed checkpoint(s) NOT checked: no public key given"
        elif signed < marks:
            note = f"{signed} of {marks} checkpoints signed and checked; the rest unsigned"
        else:
            note = f"{marks} signed checkpoint(s) checked"
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
        self.stdout.write(note + ".")
