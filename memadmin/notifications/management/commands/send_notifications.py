"""`python manage.py send_notifications`: send every delivery that is due now.

The worker sends each message by its own task; this is for after a crash, for cron, and
(with --schedule) for the background sweep that `make run` and `make serve` start.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from memadmin.notifications.delivery import deliver_due
from memadmin.notifications.tasks import SWEEP_EVERY, schedule_sweep


class Command(BaseCommand):
    help = "Send the notifications that are due (new, retrying, or left behind by a crash)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="also queue a background sweep that repeats every "
            f"{int(SWEEP_EVERY.total_seconds() // 60)} minutes (idempotent)",
        )

    def handle(self, *args: Any, schedule: bool, **options: Any) -> None:
        settled = deliver_due()
        if schedule and schedule_sweep():
            self.stdout.write("Queued a background sweep.")
        self.stdout.write(f"Settled {settled} message(s): sent, or failed and retried later.")
