"""`python manage.py sync_stores`: sync stores now, or start the periodic sync.

manage.py sync_stores                 # every active store, in this process
manage.py sync_stores --store mem_…   # one store
manage.py sync_stores --schedule      # enqueue the self-renewing task (db_worker runs it)
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from memadmin.memory_api import MemoryApiError, memory_api_client
from memadmin.stores.models import SyncRun
from memadmin.stores.scheduling import SYNCABLE_STATUSES, start_schedule
from memadmin.stores.services import sync_store


class Command(BaseCommand):
    help = "Pull trait groups from Twilio into memadmin, or start the periodic sync."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--store", action="append", default=[], help="a store id (repeatable)")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="start the periodic sync (idempotent) instead of syncing now",
        )
        parser.add_argument("--interval", type=int, default=None, help="seconds between syncs")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            schedule = start_schedule(interval_seconds=options["interval"])
            self.stdout.write(
                f"Periodic sync every {schedule.interval_seconds}s; "
                f"next run at {schedule.next_run_at:%Y-%m-%d %H:%M:%S} UTC."
            )
            return
        store_ids = options["store"]
        if not store_ids:
            try:
                stores = memory_api_client().list_stores()
            except MemoryApiError as exc:
                raise CommandError(exc.user_message) from None
            store_ids = [store.id for store in stores if store.status in SYNCABLE_STATUSES]
        failed = False
        for store_id in store_ids:
            report = sync_store(store_id=store_id, trigger=SyncRun.Trigger.COMMAND)
            if report.ok:
                self.stdout.write(
                    f"{store_id}: {report.seen} groups ({report.created} new, "
                    f"{report.updated} changed, {len(report.deleted)} deleted in Twilio, "
                    f"{len(report.drifted)} drifted)"
                )
            else:
                failed = True
                self.stderr.write(f"{store_id}: {report.error}")
        if failed:
            raise CommandError("Some stores could not be synced.")
