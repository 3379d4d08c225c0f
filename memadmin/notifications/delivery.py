"""Sending the outbox: claim a due delivery, send it once, record the attempt.

The rules, so that a message is neither lost nor sent twice and no destination holds up
another (or the workflow that wrote it):
- A row is claimed by a conditional UPDATE (due, waiting, lease free) before sending; a
  worker that dies mid-send holds it only until `lease_until`.
- Every try writes a `DeliveryAttempt`: sent, failed and retrying, or failed for good.
- A failure waits NOTIFY_RETRY_SECONDS * 2^(attempt-1) before the next try (capped at an
  hour); after NOTIFY_MAX_ATTEMPTS tries the row is FAILED. A test message is tried once.
- Digest rows of one person, due at the same full hour, go out as one e-mail together.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from memadmin.notifications import channels, destinations, messages
from memadmin.notifications.channels import SendFailed
from memadmin.notifications.events import Kind
from memadmin.notifications.models import Delivery, DeliveryAttempt

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)
Status = Delivery.Status


def deliver(*, delivery_id: int, now: datetime | None = None) -> list[Delivery]:
    """Sends one due delivery (with its digest companions); returns the rows it settled."""
    now = now or timezone.now()
    first = Delivery.objects.filter(pk=delivery_id).first()
    if first is None:
        return []
    scope = Delivery.objects.filter(pk=first.pk)
    if first.digest:
        scope = Delivery.objects.filter(recipient_id=first.recipient_id, digest=True)
    claimed = _claim(scope, now=now)
    if not claimed:
        return []
    try:
        _send(claimed, now=now)
    except SendFailed as exc:
        _record_failure(claimed, reason=str(exc), now=now)
    except Exception as exc:  # a bug in one channel must not stop the others
        logger.exception("Delivery %s could not be sent", first.pk)
        _record_failure(claimed, reason=f"Unexpected error: {type(exc).__name__}", now=now)
    else:
        _record_sent(claimed, now=now)
    return claimed


def deliver_due(*, now: datetime | None = None) -> int:
    """Sends everything due now (tests, and a sweep after lost tasks); returns rows settled."""
    now = now or timezone.now()
    due = Delivery.objects.filter(_claimable(now)).order_by("pk").values_list("pk", flat=True)
    return sum(len(deliver(delivery_id=pk, now=now)) for pk in list(due))


def backoff(attempt: int) -> timedelta:
    """How long to wait after the `attempt`-th failed try."""
    wait = timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempt - 1, 0))
    return min(wait, MAX_BACKOFF)


def next_digest_hour(now: datetime) -> datetime:
    """The next full hour: everything held for a digest until then goes out together."""
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def _claimable(now: datetime) -> Q:
    waiting = Q(status__in=Delivery.WAITING, next_attempt_at__lte=now)
    abandoned = Q(status=Status.SENDING, lease_until__lt=now)
    return waiting | abandoned


def _claim(scope, *, now: datetime) -> list[Delivery]:
    token = uuid.uuid4().hex[:16]
    scope.filter(_claimable(now)).update(
        status=Status.SENDING, lease_until=now + LEASE, leased_by=token
    )
    return list(
        Delivery.objects.filter(leased_by=token, status=Status.SENDING)
        .select_related("notification", "recipient", "destination")
        .order_by("notification__created_at", "pk")
    )


def _send(claimed: list[Delivery], *, now: datetime) -> None:
    first = claimed[0]
    notification = first.notification
    if first.channel == Delivery.Channel.EMAIL:
        notifications = [delivery.notification for delivery in claimed]
        channels.send_email(
            to=first.recipient.email,
            subject=messages.digest_subject(notifications),
            body=messages.email_body(notifications),
        )
        return
    url, secret = _address(first)
    if first.channel == Delivery.Channel.WEBHOOK:
        channels.send_webhook(
            url=url,
            secret=secret,
            notification=notification,
            delivery_id=first.pk,
            sent_at=now.isoformat(),
        )
    else:
        channels.send_apprise(url=url, notification=notification)


def _address(delivery: Delivery) -> tuple[str, str]:
    if delivery.destination_id:
        return delivery.destination.url, delivery.destination.signing_secret
    url = destinations.configured_url(delivery.configured_key)
    if url is None:
        raise SendFailed("This destination is no longer in NOTIFY_APPRISE_URLS.")
    return url, ""


@transaction.atomic
def _record_sent(claimed: list[Delivery], *, now: datetime) -> None:
    for delivery in claimed:
        delivery.attempts += 1
        delivery.status, delivery.sent_at, delivery.last_error = Status.SENT, now, ""
        delivery.lease_until, delivery.leased_by = None, ""
        _log_attempt(delivery, DeliveryAttempt.Outcome.SENT, "", now)
    Delivery.objects.bulk_update(
        claimed, ["attempts", "status", "sent_at", "last_error", "lease_until", "leased_by"]
    )


@transaction.atomic
def _record_failure(claimed: list[Delivery], *, reason: str, now: datetime) -> None:
    from memadmin.notifications import tasks

    for delivery in claimed:
        delivery.attempts += 1
        delivery.last_error = reason[:500]
        delivery.lease_until, delivery.leased_by = None, ""
        final = (
            delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS
            or delivery.notification.kind == Kind.TEST
        )
        if final:
            delivery.status = Status.FAILED
            outcome = DeliveryAttempt.Outcome.FAILED
        else:
            delivery.status = Status.RETRYING
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            outcome = DeliveryAttempt.Outcome.RETRYING
        _log_attempt(delivery, outcome, reason, now)
    Delivery.objects.bulk_update(
        claimed,
        ["attempts", "status", "last_error", "lease_until", "leased_by", "next_attempt_at"],
    )
    retrying = [delivery for delivery in claimed if delivery.status == Status.RETRYING]
    if retrying:  # digest companions share one time, so one task sends them all again
        tasks.schedule(retrying[0])
    logger.warning(
        "Delivery %s failed (attempt %s): %s", claimed[0].pk, claimed[0].attempts, reason
    )


def _log_attempt(delivery: Delivery, outcome: str, reason: str, now: datetime) -> None:
    DeliveryAttempt.objects.create(
        delivery=delivery, number=delivery.attempts, at=now, outcome=outcome, reason=reason[:500]
    )
