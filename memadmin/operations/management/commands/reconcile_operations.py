"""`python manage.py reconcile_operations`: settle operations left SUBMITTING or UNKNOWN.

Safe to run at any time and from several places (cron, by hand, after a crash): each
operation is claimed before anything is sent, so nothing goes to Twilio twice.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from memadmin.operations.reconcile import DEFAULT_OLDER_THAN, reconcile_operations


class Command(BaseCommand):
    help = "Finish operations left SUBMITTING, UNKNOWN, or overdue (a worker died mid-poll)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=DEFAULT_OLDER_THAN.total_seconds(),
            help="only touch operations untouched for this many seconds (default: %(default)s)",
        )

    def handle(self, *args: Any, older_than: float, **options: Any) -> None:
        report = reconcile_operations(older_than=timedelta(seconds=older_than))
        for label in ("resent", "adopted", "polled", "failed", "untouched"):
            ids = getattr(report, label)
            if ids:
                self.stdout.write(f"{label}: {', '.join(map(str, ids))}")
        total = sum(len(getattr(report, x)) for x in ("resent", "adopted", "polled", "failed"))
        self.stdout.write(f"Reconciled {total} operation(s).")
