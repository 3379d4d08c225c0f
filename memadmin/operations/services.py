"""Writes for operations: the outbox row, Twilio's answer to it, and each status change.

Submitting is two steps on purpose. `start_operation` saves the request (SUBMITTING)
before anything is sent; `submit_operation` sends it once and records the answer with
`record_accepted`, `record_failure` or `record_outcome_unknown`, each one transaction: the
answer, its audit events and the first poll land together or, after a crash, not at all
(the row is then still SUBMITTING, which `reconcile_operations` settles). Following the
statusUrl afterwards lives in `polling.py` (`poll`), re-exported here; every way an
operation ends goes through `finishing.finish_operation`.
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from memadmin.memory_api.client import memory_api_client
from memadmin.memory_api.errors import MemoryApiError, OutcomeUnknown
from memadmin.operations import tasks
from memadmin.operations.finishing import finish_operation
from memadmin.operations.history import audit_submission as _audit_submission
from memadmin.operations.history import record_status_change
from memadmin.operations.models import Operation
from memadmin.operations.polling import (
    poll,  # noqa: F401 - part of this module's API
    poll_delay_seconds,
    storable_retry_after,
)
from memadmin.operations.signals import operation_retrying

# Give Twilio this long to finish an accepted operation before it counts as UNKNOWN.
DEFAULT_POLL_DEADLINE = timedelta(seconds=getattr(settings, "OPERATIONS_POLL_DEADLINE", 15 * 60))
REFRESH_INTERVAL = timedelta(seconds=5)
CONFLICT = 409

_TITLES = {
    412: "Changed in Twilio since this change was prepared",
    409: "Conflict in Twilio",
    429: "Twilio was busy",
    503: "Twilio was unavailable",
    404: "Not found in Twilio",
    400: "Rejected by Twilio",
}


class SubmissionInProgress(Exception):
    """Another process is sending (or has sent) this operation; it is not sent again."""


class RetrySuperseded(Exception):
    """The revision this submission published has moved on: its recorded body is stale."""


def start_operation(
    *,
    kind: str,
    store_id: str,
    trait_group_name: str,
    body: dict | None,
    if_match: str = "",
    revision=None,
    actor=None,
) -> Operation:
    """Saves the outbox row (SUBMITTING, the exact request) before anything is sent."""
    return Operation.objects.create(
        kind=kind,
        method=Operation.METHOD_FOR_KIND[kind],
        store_id=store_id,
        trait_group_name=trait_group_name,
        request_body=body,
        if_match=if_match or "",
        revision=revision,
        actor=actor,
    )


def mark_sending(*, operation: Operation, now: datetime | None = None) -> None:
    """Claims the right to send a SUBMITTING operation once; raises if someone else has it."""
    now = now or timezone.now()
    claimed = Operation.objects.filter(
        pk=operation.pk,
        status=Operation.Status.SUBMITTING,
        submission_attempts=operation.submission_attempts,
    ).update(submission_attempts=F("submission_attempts") + 1, last_sent_at=now)
    if not claimed:
        raise SubmissionInProgress(f"Operation {operation.pk} is already being submitted.")
    operation.submission_attempts += 1
    operation.last_sent_at = now


def send_request(operation: Operation, client=None):
    """The one HTTP call an outbox row stands for; returns the client's `Accepted`."""
    client = client or memory_api_client()
    body = operation.request_body or {}
    if operation.method == "POST":
        return client.create_trait_group(operation.store_id, body)
    if operation.method == "PATCH":
        return client.update_trait_group(
            operation.store_id,
            operation.trait_group_name,
            body,
            if_match=operation.if_match or None,
        )
    return client.delete_trait_group(
        operation.store_id, operation.trait_group_name, if_match=operation.if_match or None
    )


def submit_operation(
    *,
    operation: Operation,
    actor=None,
    client=None,
    now: datetime | None = None,
    conflict_is_unknown: bool = False,
) -> Operation:
    """Sends a saved SUBMITTING operation once and records Twilio's answer, whatever it is.

    With `conflict_is_unknown` (re-sending a create whose first answer was lost), a 409
    may be our own first create: the outcome stays UNKNOWN for the caller to compare.
    """
    mark_sending(operation=operation, now=now)
    try:
        accepted = send_request(operation, client)
    except OutcomeUnknown as exc:
        return record_outcome_unknown(operation=operation, error=exc, actor=actor, now=now)
    except MemoryApiError as exc:
        if conflict_is_unknown and exc.status == CONFLICT:
            return record_outcome_unknown(operation=operation, error=exc, actor=actor, now=now)
        return record_failure(operation=operation, error=exc, actor=actor, now=now)
    return record_accepted(operation=operation, accepted=accepted, actor=actor, now=now)


@transaction.atomic
def record_accepted(
    *, operation: Operation, accepted, actor=None, now: datetime | None = None
) -> Operation:
    """Twilio answered 202: store the statusUrl and schedule the first poll after Retry-After."""
    now = now or timezone.now()
    before = operation.status
    operation.status = Operation.Status.PENDING
    operation.status_url = accepted.status_url or accepted.location or ""
    operation.operation_id = accepted.operation_id or ""
    operation.retry_after = storable_retry_after(accepted.retry_after)
    operation.next_poll_at = now + timedelta(
        seconds=poll_delay_seconds(accepted.retry_after, poll_count=0)
    )
    operation.poll_deadline = now + DEFAULT_POLL_DEADLINE
    operation.retryable = False
    _clear_error(operation)
    operation.save()
    tasks.schedule_poll(operation)
    _audit_submission(
        operation,
        actor=actor,
        outcome="success",
        api_status=202,
        answer={
            "message": accepted.message,
            "statusUrl": operation.status_url,
            "operationId": operation.operation_id,
            "retryAfter": accepted.retry_after,
        },
    )
    record_status_change(operation=operation, before=before, actor=actor)
    return operation


@transaction.atomic
def record_failure(
    *, operation: Operation, error: MemoryApiError, actor=None, now: datetime | None = None
) -> Operation:
    """Twilio refused the submission: FAILED, in words; retryable when the refusal was passing."""
    operation.retryable = bool(error.retryable)
    operation.set_error(
        code=error.code or error.status,
        title=_TITLES.get(error.status or 0, "Twilio refused the change"),
        detail=str(error),
    )
    finish_operation(
        operation=operation, outcome=Operation.Status.FAILED, actor=actor, completed_at=now
    )
    _audit_submission(
        operation,
        actor=actor,
        outcome="failure" if error.status else "error",
        api_status=error.status,
        twilio_code=error.code,
        answer=None,
        detail=str(error),
    )
    return operation


@transaction.atomic
def record_outcome_unknown(
    *, operation: Operation, error: MemoryApiError, actor=None, now: datetime | None = None
) -> Operation:
    """The answer was lost after sending: UNKNOWN until `reconcile_operations` finds out."""
    before = operation.status
    operation.status = Operation.Status.UNKNOWN
    operation.error_title = "Outcome unknown"
    operation.error_detail = str(error)
    operation.save()
    _audit_submission(
        operation, actor=actor, outcome="error", api_status=None, answer=None, detail=str(error)
    )
    record_status_change(operation=operation, before=before, actor=actor)
    return operation


def retry_submission(*, operation: Operation, actor=None, client=None) -> Operation:
    """The Retry action: sends a refused-for-now submission again, from the same outbox row.

    It re-sends exactly the body recorded (and approved) on the row, so it is refused once
    the revision behind it moved on: reworked, resubmitted, or published by a newer row.
    """
    if operation.superseded:
        raise RetrySuperseded(
            f"Operation {operation.pk} can no longer be retried: its revision changed after "
            "this submission failed. Publish the revision again once it is approved."
        )
    reopened = (
        Operation.objects.filter(
            pk=operation.pk, status=Operation.Status.FAILED, retryable=True, status_url=""
        )
        .filter(Operation.not_superseded())
        .update(status=Operation.Status.SUBMITTING, retryable=False, completed_at=None)
    )
    if not reopened:
        raise SubmissionInProgress(f"Operation {operation.pk} cannot be retried now.")
    operation.refresh_from_db()
    record_status_change(operation=operation, before=Operation.Status.FAILED, actor=actor)
    transaction.on_commit(partial(operation_retrying.send, Operation, operation=operation))
    return submit_operation(operation=operation, actor=actor, client=client)


def request_refresh(*, operation: Operation, now: datetime | None = None) -> bool:
    """Rate-limits "Refresh now" to once per 5 s per operation; False when too soon."""
    now = now or timezone.now()
    allowed = (
        Operation.objects.filter(pk=operation.pk)
        .exclude(refresh_requested_at__gt=now - REFRESH_INTERVAL)
        .update(refresh_requested_at=now)
    )
    return bool(allowed)


def _clear_error(operation: Operation) -> None:
    operation.error_code = None
    operation.error_title = ""
    operation.error_detail = ""
