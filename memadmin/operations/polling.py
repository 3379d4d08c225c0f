"""Following a statusUrl: one poll at a time per operation, until a terminal status.

A poller first *leases* the row with a conditional UPDATE (`lease_until` in the future,
`leased_by` its token), so two workers, or a worker and a browser's "Refresh now",
never poll the same operation at once. A poller that dies mid-poll holds the lease only
until `lease_until`; after that the next scheduled poll, the live badge or
`reconcile_operations` takes over. Nothing is lost because the schedule (`next_poll_at`)
lives on the row itself.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from memadmin.memory_api.client import memory_api_client
from memadmin.memory_api.errors import MemoryApiError, UnsafeStatusUrl
from memadmin.notifications import services as notifications
from memadmin.operations import tasks, workers
from memadmin.operations.finishing import finish_operation
from memadmin.operations.history import record_status_change
from memadmin.operations.models import Operation

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)
# Without Retry-After: 1, 2, 4, … seconds, never more than this.
BACKOFF_CAP_SECONDS = getattr(settings, "OPERATIONS_BACKOFF_CAP", 60)
# Retry-After has no stated bound: 0 would poll in a busy loop, 10^8 would park the
# operation for years. Every wait is clamped to [MIN_POLL_SECONDS, OPERATIONS_RETRY_AFTER_CAP].
MIN_POLL_SECONDS = 1
# The Retry-After kept on the row fits its PositiveIntegerField.
MAX_STORED_RETRY_AFTER = 2**31 - 1
# A task may run a little early (clock skew between hosts): still counts as due.
DUE_TOLERANCE = timedelta(milliseconds=250)


def claim(
    *, operation_id: int, now: datetime, force: bool = False, worker_id: str | None = None
) -> str | None:
    """Leases an in-flight operation for one poll; None if it is leased, not due, or done.

    A worker's lease names the worker, so that if it is killed mid-poll another worker
    frees the lease as soon as the heartbeat stops (`workers.take_over_stale_claims`).
    """
    token = workers.lease_token(worker_id, uuid.uuid4().hex[:16])
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = Q() if force else Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now + DUE_TOLERANCE)
    claimed = (
        Operation.objects.filter(free, due, pk=operation_id, status__in=Operation.IN_FLIGHT)
        .exclude(status_url="")
        .update(lease_until=now + LEASE, leased_by=token)
    )
    return token if claimed else None


def release(*, operation_id: int, token: str) -> None:
    """Gives the lease back (only if it is still ours)."""
    Operation.objects.filter(pk=operation_id, leased_by=token).update(
        lease_until=None, leased_by=""
    )


def poll(
    *,
    operation_id: int,
    client=None,
    now: datetime | None = None,
    force: bool = False,
    worker_id: str | None = None,
) -> Operation | None:
    """Polls one in-flight operation once if it is due (or `force`) and nobody else is."""
    now = now or timezone.now()
    token = claim(operation_id=operation_id, now=now, force=force, worker_id=worker_id)
    if token is None:
        return None
    operation = Operation.objects.get(pk=operation_id)
    try:
        _poll_leased(operation, client=client or memory_api_client(), now=now)
    finally:
        release(operation_id=operation_id, token=token)
    return operation


def backoff_seconds(poll_count: int) -> int:
    """Capped exponential backoff for polls that got no Retry-After."""
    return min(BACKOFF_CAP_SECONDS, 2 ** min(poll_count, 16))


def poll_delay_seconds(retry_after: int | None, *, poll_count: int) -> int:
    """Seconds until the next poll (the first one too): Twilio's Retry-After, or a backoff
    without one, clamped to [1 s, OPERATIONS_RETRY_AFTER_CAP]."""
    seconds = backoff_seconds(poll_count) if retry_after is None else retry_after
    return max(MIN_POLL_SECONDS, min(seconds, settings.OPERATIONS_RETRY_AFTER_CAP))


def storable_retry_after(retry_after: int | None) -> int | None:
    """Twilio's Retry-After as the row can hold it."""
    return None if retry_after is None else min(retry_after, MAX_STORED_RETRY_AFTER)


def _poll_leased(operation: Operation, *, client, now: datetime) -> None:
    if operation.poll_deadline and now >= operation.poll_deadline:
        give_up(operation=operation, now=now)
        return
    try:
        status = _fetch(operation, client)
    except MemoryApiError as exc:
        _record_problem(operation, exc, now=now)
        return
    before = operation.status
    operation.poll_count += 1
    operation.last_polled_at = now
    operation.last_poll_problem = ""
    operation.retry_after = storable_retry_after(status.retry_after)
    if status.is_terminal:
        _record_result(operation, status)
        finish_operation(
            operation=operation, outcome=status.status, completed_at=status.completed_at or now
        )
        return
    operation.status = status.status
    _schedule(operation, now=now, seconds=status.retry_after)
    record_status_change(operation=operation, before=before)


def _fetch(operation: Operation, client):
    try:
        return client.fetch_operation(operation.status_url)
    except UnsafeStatusUrl:
        if not operation.operation_id:
            raise
        # The 202's statusUrl points elsewhere; the Operation-Id still names an operation
        # of the configured API, and that is the only place credentials go.
        logger.warning("Operation %s: foreign statusUrl ignored", operation.pk)
        return client.fetch_operation(client.operation_url(operation.operation_id))


def _record_result(operation: Operation, status) -> None:
    operation.result = (
        {"id": status.result_id, "url": _storable_url(status.result_url)}
        if (status.result_id or status.result_url)
        else None
    )
    operation.result_url = _storable_url(status.result_url)
    if status.error is not None:
        operation.set_error(
            code=status.error.code,
            title=status.error.title or "Operation failed",
            detail=status.error.detail,
        )
    elif status.status == Operation.Status.CANCELLED:
        operation.error_title = "Cancelled in Twilio"


def _storable_url(url: str | None) -> str:
    """A result URL that fits its column; one that does not is no URL to follow anyway."""
    limit = Operation._meta.get_field("result_url").max_length
    return url if url and len(url) <= limit else ""


def _record_problem(operation: Operation, exc: MemoryApiError, *, now: datetime) -> None:
    """A poll that went wrong: keep the operation, say why, and try again later."""
    operation.poll_count += 1
    operation.last_polled_at = now
    operation.last_poll_problem = str(exc)[:300]
    if exc.status == 404 or isinstance(exc, UnsafeStatusUrl):
        # Twilio forgot the operation, or it cannot be polled safely: reconcile decides.
        before = operation.status
        operation.status = Operation.Status.UNKNOWN
        operation.error_title = "Status no longer available"
        operation.error_detail = str(exc)
        operation.next_poll_at = None
        operation.save()
        record_status_change(operation=operation, before=before)
        return
    _schedule(operation, now=now, seconds=None)


def _schedule(operation: Operation, *, now: datetime, seconds: int | None) -> None:
    seconds = poll_delay_seconds(seconds, poll_count=operation.poll_count)
    next_poll_at = now + timedelta(seconds=seconds)
    if operation.poll_deadline and next_poll_at > operation.poll_deadline:
        next_poll_at = operation.poll_deadline  # one last look at the deadline
    operation.next_poll_at = next_poll_at
    operation.save()
    tasks.schedule_poll(operation)


def give_up(*, operation: Operation, now: datetime) -> Operation:
    """The deadline passed with Twilio still busy: UNKNOWN, for `reconcile_operations`."""
    before = operation.status
    operation.status = Operation.Status.UNKNOWN
    operation.next_poll_at = None
    operation.error_title = "Gave up waiting"
    operation.error_detail = (
        f"Twilio had not finished this operation by {operation.poll_deadline:%Y-%m-%d %H:%M:%S} "
        f"UTC after {operation.poll_count} polls. Reconcile to check on it again."
    )
    operation.save()
    record_status_change(operation=operation, before=before)
    notifications.notify(notifications.Kind.OPERATION_UNKNOWN, operation=operation)
    return operation
