"""`python manage.py reconcile_operations`: settle operations left SUBMITTING or UNKNOWN.

Safe to run at any time and from several places (cron, by hand, after a crash): each
operation is claimed before anything is sent, so nothing goes to Twilio twice.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from memadmin.operations.reconcile import DEFAULT_OLDER_THAN, reconcile_operations
from memadmin.operations.tasks import RECONCILE_EVERY, schedule_reconcile


class Command(BaseCommand):
    help = "Finish operations left SUBMITTING, UNKNOWN, or overdue (a worker died mid-poll)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=DEFAULT_OLDER_THAN.total_seconds(),
            help="only touch operations untouched for this many seconds (default: %(default)s)",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="also queue a background sweep that repeats every "
            f"{int(RECONCILE_EVERY.total_seconds() // 60)} minutes (idempotent)",
        )

    def handle(self, *args: Any, older_than: float, schedule: bool, **options: Any) -> None:
        report = reconcile_operations(older_than=timedelta(seconds=older_than))
        if schedule and schedule_reconcile():
            self.stdout.write("Queued a background sweep.")
        for label in ("resent", "adopted", "polled", "failed", "untouched"):
            ids = getattr(report, label)
            if ids:
                self.stdout.write(f"{label}: {', '.join(map(str, ids))}")
        total = sum(len(getattr(report, x)) for x in ("resent", "adopted", "polled", "failed"))
        self.stdout.write(f"Reconciled {total} operation(s).")
