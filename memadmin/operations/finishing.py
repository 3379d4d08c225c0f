"""Settling an operation for good: the one service that polling, reconcile and submission
call when an operation reaches COMPLETED, FAILED or CANCELLED.

The apps above (reviews settles the revision) hear of it through `operation_finished`, sent
only once the terminal status has committed: a receiver never sees a status that a rollback
could still take back.
"""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from memadmin.operations.history import record_status_change
from memadmin.operations.models import Operation
from memadmin.operations.signals import operation_finished


def finish_operation(
    *, operation: Operation, outcome: str, actor=None, completed_at: datetime | None = None
) -> Operation:
    """Saves `operation` as finished with `outcome`, audits the change and, after commit,
    sends `operation_finished`; the caller has set the result or the error beforehand."""
    if outcome not in Operation.TERMINAL:
        raise ValueError(f"{outcome!r} is not a status that finishes an operation.")
    before = operation.status
    operation.status = outcome
    operation.completed_at = completed_at or timezone.now()
    operation.next_poll_at = None
    with transaction.atomic():
        operation.save()
        record_status_change(operation=operation, before=before, actor=actor)
        transaction.on_commit(partial(operation_finished.send, Operation, operation=operation))
    return operation
