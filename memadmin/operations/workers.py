"""Background workers' heartbeats, and taking over what a killed worker held.

A worker killed mid-task leaves its task RUNNING and, mid-poll, an operation leased to
it. Each worker started by `run_worker` beats every `interval` seconds from a thread of
its own (so a long task does not silence it); when a worker's beat is older than
`STALE_AFTER_BEATS` intervals, any live worker requeues its RUNNING tasks and frees
the leases it held, and its own loop picks them up within one more interval. Workers
that never beat (plain `db_worker`) are left alone: nobody can tell them dead.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from memadmin.operations.models import Operation, WorkerHeartbeat

STALE_AFTER_BEATS = 3
# The lease token of a poll that runs in a worker starts with its id and this separator.
LEASE_SEPARATOR = "/"


def stale_after(interval: float) -> timedelta:
    return timedelta(seconds=max(1.0, interval) * STALE_AFTER_BEATS)


def beat(*, worker_id: str, now: datetime | None = None) -> None:
    """Records that `worker_id` is alive now."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.get_or_create(worker_id=worker_id, defaults={"beat_at": now})


def forget(*, worker_id: str) -> None:
    """A worker that stops cleanly says so: nothing of it needs taking over."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def take_over_stale_claims(*, interval: float, now: datetime | None = None) -> list[str]:
    """Requeues the RUNNING tasks and frees the leases of workers that stopped beating;
    returns those workers' ids."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    dead = list(
        WorkerHeartbeat.objects.filter(beat_at__lt=now - stale_after(interval)).values_list(
            "worker_id", flat=True
        )
    )
    if not dead:
        return []
    with transaction.atomic():
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        orphaned = [
            result.pk
            for result in running.only("pk", "worker_ids")
            if result.worker_ids and result.worker_ids[-1] in dead
        ]
        DBTaskResult.objects.filter(pk__in=orphaned, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        for worker_id in dead:
            Operation.objects.filter(leased_by__startswith=worker_id[:40] + LEASE_SEPARATOR).update(
                lease_until=None, leased_by=""
            )
        WorkerHeartbeat.objects.filter(worker_id__in=dead).delete()
    return dead


def lease_token(worker_id: str | None, suffix: str) -> str:
    """A poll lease token; in a worker it names the worker, so a takeover can free it."""
    if not worker_id:
        return suffix
    return worker_id[:40] + LEASE_SEPARATOR + suffix
