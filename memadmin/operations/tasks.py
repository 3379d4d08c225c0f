"""Background work: `poll_operation` follows one statusUrl and re-enqueues itself.

Each poll that finds the operation still running schedules exactly one successor, due
after Twilio's `Retry-After` (or a capped exponential backoff). A task that finds the
operation not yet due, already terminal, or leased by another worker simply ends: so
stale or duplicate tasks fade away instead of multiplying. The tasks live in the same
database as the operations, so a schedule commits together with the status it follows.
"""

from datetime import timedelta

from django.tasks import TaskResultStatus, task
from django.utils import timezone

# A web process that dies between saving an operation and sending it leaves it
# SUBMITTING with no worker the wiser; this sweep finds such rows without a restart.
RECONCILE_EVERY = timedelta(minutes=5)


@task(takes_context=True)
def poll_operation(context, operation_id: int) -> str:
    """Polls one operation if it is due; returns its status afterwards (or why it skipped)."""
    from memadmin.operations.polling import poll

    worker_ids = context.task_result.worker_ids
    operation = poll(operation_id=operation_id, worker_id=worker_ids[-1] if worker_ids else None)
    return operation.status if operation is not None else "skipped"


def schedule_poll(operation) -> None:
    """Enqueues the next poll of `operation` for its `next_poll_at`."""
    if operation.next_poll_at is None:
        return
    poll_operation.using(run_after=operation.next_poll_at).enqueue(operation.pk)


@task()
def reconcile_periodically() -> str:
    """Settles unsettled operations, then schedules the next sweep unless one is queued."""
    from memadmin.operations.reconcile import reconcile_operations

    report = reconcile_operations()
    schedule_reconcile()
    return f"{len(report.resent) + len(report.adopted) + len(report.polled)} settled"


def schedule_reconcile() -> bool:
    """Queues the next sweep in RECONCILE_EVERY; one queued sweep is enough, so no chain
    ever doubles however many workers start. Returns whether it queued one."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        task_path=f"{__name__}.reconcile_periodically", status=TaskResultStatus.READY
    )
    if queued.exists():
        return False
    reconcile_periodically.using(run_after=timezone.now() + RECONCILE_EVERY).enqueue()
    return True
