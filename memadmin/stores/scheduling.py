"""The periodic sync: one chain of `scheduled_sync` tasks, each enqueuing the next.

`SyncSchedule.next_run_at` names the one task allowed to act. A task due at any other
time is a duplicate (the command ran twice, a worker retried) and ends without work, so
the chain never multiplies; a chain that broke (no worker for a long while) is restarted
by `start_schedule`, which `manage.py sync_stores --schedule` calls.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from memadmin.memory_api import MemoryApiClient, MemoryApiError, memory_api_client
from memadmin.stores.models import SyncRun, SyncSchedule
from memadmin.stores.services import SyncReport, sync_store

logger = logging.getLogger(__name__)

SYNCABLE_STATUSES = {"ACTIVE"}


def sync_interval_seconds() -> int:
    """How often the periodic sync runs, read when a schedule starts."""
    return settings.STORES_SYNC_INTERVAL_SECONDS


def start_schedule(*, interval_seconds: int | None = None) -> SyncSchedule:
    """Starts the periodic sync unless a live chain already exists; safe to call often."""
    from memadmin.stores.tasks import scheduled_sync

    now = timezone.now()
    with transaction.atomic():
        schedule, _ = SyncSchedule.objects.select_for_update().get_or_create(pk=1)
        schedule.interval_seconds = interval_seconds or sync_interval_seconds()
        grace = timedelta(seconds=schedule.interval_seconds)
        if schedule.next_run_at is not None and schedule.next_run_at > now - grace:
            schedule.save(update_fields=["interval_seconds"])
            return schedule  # the chain is alive: its next task is due soon
        schedule.next_run_at = now
        schedule.save()
        scheduled_sync.enqueue(now.isoformat())
    return schedule


def run_scheduled_sync(*, due_at: str, client: MemoryApiClient | None = None) -> list[SyncReport]:
    """Syncs every active store if this task is the one due; enqueues its successor first."""
    from memadmin.stores.tasks import scheduled_sync

    now = timezone.now()
    with transaction.atomic():
        schedule = SyncSchedule.objects.select_for_update().filter(pk=1).first()
        if schedule is None or schedule.next_run_at != datetime.fromisoformat(due_at):
            return []  # a duplicate or a leftover of an older chain
        following = now + timedelta(seconds=schedule.interval_seconds)
        schedule.next_run_at, schedule.last_run_at = following, now
        schedule.save()
        # Enqueued before syncing, so a failing store never breaks the chain.
        scheduled_sync.using(run_after=following).enqueue(following.isoformat())
    client = client or memory_api_client()
    try:
        stores = client.list_stores()
    except MemoryApiError as exc:
        logger.warning("Scheduled sync could not list stores: %s", exc.user_message)
        return []
    return [
        sync_store(store_id=store.id, client=client, trigger=SyncRun.Trigger.SCHEDULED)
        for store in stores
        if store.status in SYNCABLE_STATUSES
    ]
