"""Finishing what was left unsettled: SUBMITTING rows, UNKNOWN outcomes, stalled polls.

The rules, so that nothing is lost and nothing is applied twice:
- Never sent (SUBMITTING, no attempt recorded): send it now, through the outbox claim.
- Accepted by Twilio (there is a statusUrl): poll it again. If Twilio forgot it, read the
  trait group and adopt the result when it shows the change.
- Sent, answer lost (no statusUrl): read the trait group by name. If it already shows
  the change, the operation is COMPLETED ("adopted"). If it does not, the request is
  re-sent **exactly once** (`submission_attempts` caps it at 2): a create cannot make a
  duplicate because names are unique in a store, an update carries the original
  If-Match, so it cannot apply twice; a delete of an absent group is already done.
  Should the re-send be lost too, the operation is FAILED with a Retry action for a person.
- In flight but overdue (a worker died mid-poll): poll it now; the lease keeps this safe.

Rows younger than `older_than` are left alone: Twilio may still be applying them. The
sweep and the Reconcile button share this one rule (`too_soon`). A 409 on re-sending a
create may be our own lost first create: the group is read and compared with the body.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from memadmin.memory_api import MemoryApiError, memory_api_client
from memadmin.memory_api.definitions import apply_patch, is_same_definition
from memadmin.operations import polling, services
from memadmin.operations.finishing import finish_operation
from memadmin.operations.models import Operation

DEFAULT_OLDER_THAN = timedelta(minutes=2)
MAX_SUBMISSIONS = 2  # the original and at most one re-send


@dataclass
class ReconcileReport:
    """What one reconcile pass did, by operation id."""

    resent: list[int] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)
    polled: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    untouched: list[int] = field(default_factory=list)


class TooSoon(Exception):
    """The operation was sent too recently to tell a lost answer from a slow one."""


def too_soon(operation: Operation, *, now: datetime, older_than: timedelta) -> datetime | None:
    """When an unsettled operation may be reconciled, if that is still in the future."""
    if not operation.is_unsettled:
        return None
    ready_at = (operation.last_sent_at or operation.submitted_at) + older_than
    return ready_at if ready_at > now else None


def unsettled_operations(*, now: datetime, older_than: timedelta):
    """Operations that need reconciling: unsettled, or in flight but long overdue."""
    cutoff = now - older_than
    overdue = Q(status__in=Operation.IN_FLIGHT, next_poll_at__lt=cutoff) & (
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    stale = Q(status__in=Operation.UNSETTLED) & (
        Q(last_sent_at__lt=cutoff) | Q(last_sent_at__isnull=True, submitted_at__lt=cutoff)
    )
    return Operation.objects.filter(overdue | stale).order_by("pk")


def reconcile_operations(
    *, now: datetime | None = None, older_than: timedelta = DEFAULT_OLDER_THAN, client=None
) -> ReconcileReport:
    """Settles every operation left SUBMITTING, UNKNOWN or overdue; returns what it did."""
    now = now or timezone.now()
    report = ReconcileReport()
    for operation in unsettled_operations(now=now, older_than=older_than):
        try:
            reconcile_operation(
                operation=operation, now=now, client=client, report=report, older_than=older_than
            )
        except TooSoon:
            report.untouched.append(operation.pk)
    return report


def reconcile_operation(
    *,
    operation: Operation,
    now: datetime | None = None,
    client=None,
    report=None,
    older_than: timedelta = DEFAULT_OLDER_THAN,
) -> Operation:
    """Settles one operation by the rules above (the Reconcile action on its page).

    Raises `TooSoon` for an unsettled operation sent less than `older_than` ago.
    """
    now = now or timezone.now()
    report = report if report is not None else ReconcileReport()
    ready_at = too_soon(operation, now=now, older_than=older_than)
    if ready_at is not None:
        raise TooSoon(
            "Too soon to reconcile: Twilio may still be applying this change. memadmin "
            f"checks {int(older_than.total_seconds())} s after sending; try again after "
            f"{timezone.localtime(ready_at):%H:%M:%S}."
        )
    client = client or memory_api_client()
    if operation.is_in_flight:
        polling.poll(operation_id=operation.pk, client=client, now=now, force=True)
        report.polled.append(operation.pk)
    elif operation.status == Operation.Status.SUBMITTING and operation.last_sent_at is None:
        _resend(operation, client, report)
    elif operation.is_unsettled and operation.was_accepted:
        _repoll(operation, client, now, report)
    elif operation.is_unsettled:
        _check_then_resend(operation, client, now, report)
    else:
        report.untouched.append(operation.pk)
    operation.refresh_from_db()
    return operation


def _repoll(operation: Operation, client, now: datetime, report: ReconcileReport) -> None:
    """An accepted operation we lost track of: follow its statusUrl again, fresh deadline."""
    operation.status = Operation.Status.PENDING
    operation.poll_deadline = now + services.DEFAULT_POLL_DEADLINE
    operation.next_poll_at = now
    operation.save(update_fields=["status", "poll_deadline", "next_poll_at"])
    polled = polling.poll(operation_id=operation.pk, client=client, now=now, force=True)
    report.polled.append(operation.pk)
    # Twilio no longer knows the operation: the trait group tells what happened.
    if polled is not None and polled.status == Operation.Status.UNKNOWN:
        try:
            applied = _shows_change(polled, client)
        except MemoryApiError:
            return
        if applied:
            _adopt(polled, now, report)


def _check_then_resend(
    operation: Operation, client, now: datetime, report: ReconcileReport
) -> None:
    try:
        applied = _shows_change(operation, client)
    except MemoryApiError:
        report.untouched.append(operation.pk)  # cannot tell now; the next pass will
        return
    if applied:
        _adopt(operation, now, report)
    elif operation.submission_attempts < MAX_SUBMISSIONS:
        Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.SUBMITTING)
        operation.status = Operation.Status.SUBMITTING
        _resend(operation, client, report, conflict_is_unknown=operation.method == "POST")
        operation.refresh_from_db()
        if operation.status == Operation.Status.UNKNOWN:
            _settle_conflict(operation, client, now, report)
    else:
        operation.retryable = True
        operation.error_title = "Not applied in Twilio"
        operation.error_detail = (
            "memadmin sent this change twice and never heard back, and Twilio does not show "
            "it. Use Retry to send it again."
        )
        finish_operation(operation=operation, outcome=Operation.Status.FAILED, completed_at=now)
        report.failed.append(operation.pk)


def _settle_conflict(operation: Operation, client, now: datetime, report) -> None:
    """Twilio said 409 to a re-sent create: if the group it holds is the approved body, the
    first create worked; if it differs, someone else's group has the name."""
    try:
        applied = _shows_change(operation, client)
    except MemoryApiError:
        return  # cannot tell now; the next pass will
    if applied:
        _adopt(operation, now, report)
        return
    try:
        client.fetch_trait_group(operation.store_id, operation.trait_group_name)
    except MemoryApiError:
        return  # not visible yet: Twilio may still be applying our first create
    operation.retryable = False
    operation.error_title = "A different group has this name in Twilio"
    operation.error_detail = (
        f"Twilio already holds a trait group named '{operation.trait_group_name}' that differs "
        "from the approved body; memadmin did not overwrite it."
    )
    finish_operation(operation=operation, outcome=Operation.Status.FAILED, completed_at=now)
    report.failed.append(operation.pk)


def _resend(
    operation: Operation, client, report: ReconcileReport, *, conflict_is_unknown: bool = False
) -> None:
    try:
        services.submit_operation(
            operation=operation, client=client, conflict_is_unknown=conflict_is_unknown
        )
    except services.SubmissionInProgress:
        report.untouched.append(operation.pk)
        return
    report.resent.append(operation.pk)


def _adopt(operation: Operation, now: datetime, report: ReconcileReport) -> None:
    """Twilio already shows the change: the operation completed, we just missed the answer."""
    operation.result = {"adopted": True}
    operation.error_title = ""
    operation.error_detail = ""
    operation.error_code = None
    finish_operation(operation=operation, outcome=Operation.Status.COMPLETED, completed_at=now)
    report.adopted.append(operation.pk)


def _shows_change(operation: Operation, client) -> bool:
    """Whether the trait group in Twilio already reflects this operation's request."""
    try:
        group = client.fetch_trait_group(operation.store_id, operation.trait_group_name)
    except MemoryApiError as exc:
        if exc.status == 404:
            return operation.method == "DELETE"
        raise
    if operation.method == "DELETE":
        return False
    live, body = group.to_request_body(), operation.request_body or {}
    if operation.method == "POST":
        return is_same_definition(live, body)
    return is_same_definition(apply_patch(live, body), live)  # the PATCH would change nothing
