"""Background work: `poll_operation` follows one statusUrl and re-enqueues itself.

Each poll that finds the operation still running schedules exactly one successor, due
after Twilio's `Retry-After` (or a capped exponential backoff). A task that finds the
operation not yet due, already terminal, or leased by another worker simply ends: so
stale or duplicate tasks fade away instead of multiplying. The tasks live in the same
database as the operations, so a schedule commits together with the status it follows.
"""

from django.tasks import task


@task()
def poll_operation(operation_id: int) -> str:
    """Polls one operation if it is due; returns its status afterwards (or why it skipped)."""
    from memadmin.operations.polling import poll

    operation = poll(operation_id=operation_id)
    return operation.status if operation is not None else "skipped"


def schedule_poll(operation) -> None:
    """Enqueues the next poll of `operation` for its `next_poll_at`."""
    if operation.next_poll_at is None:
        return
    poll_operation.using(run_after=operation.next_poll_at).enqueue(operation.pk)
