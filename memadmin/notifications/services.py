"""Writes for notifications: `notify` (the one call the other apps make), destinations, tests.

`notify` only writes rows, in the caller's transaction: the event and its messages commit
or roll back together, and no network call ever happens on the workflow's path.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from memadmin.audit import services as audit
from memadmin.notifications import channels, delivery, destinations, tasks
from memadmin.notifications.events import Kind
from memadmin.notifications.mail import email_enabled
from memadmin.notifications.models import Delivery, Destination, Notification, Preference
from memadmin.notifications.recipients import recipients_for

# Failures point at the operation, whose page explains Twilio's answer and offers Retry.
_OPERATION_PAGE = frozenset({Kind.PUBLISH_FAILED, Kind.OPERATION_UNKNOWN})


def notify(
    kind: str, *, actor=None, revision=None, operation=None, trait_group=None, **names
) -> Notification:
    """Records that `kind` happened and queues a message to everyone who should hear of it."""
    names = {**_names(actor, revision, operation, trait_group), **names}
    with transaction.atomic():
        notification = Notification.objects.create(
            kind=kind,
            actor=actor if actor is not None and actor.is_authenticated else None,
            names=names,
            link=_link(kind, revision, operation, trait_group),
            store_id=names.get("store", "")[:40],
            trait_group=names.get("group", "")[:64],
            revision_id=getattr(revision, "pk", None) or getattr(operation, "revision_id", None),
        )
        people = recipients_for(
            kind, actor=actor, revision=revision, operation=operation, trait_group=trait_group
        )
        rows = _destination_rows(notification)
        if email_enabled():
            rows += _email_rows(notification, people)
        _queue(rows)
    return notification


def _names(actor, revision, operation, trait_group) -> dict:
    names = {}
    if actor is not None and actor.is_authenticated:
        names["actor"] = actor.get_username()
    if trait_group is not None:
        names.update(group=trait_group.name, store=trait_group.store_id)
    if operation is not None:
        names.update(
            group=operation.trait_group_name,
            store=operation.store_id,
            operation=operation.get_kind_display().lower(),
        )
    if revision is not None:
        names.update(group=revision.display_name or "(unnamed)", store=revision.store_id)
    return names


def _link(kind, revision, operation, trait_group) -> str:
    if kind == Kind.CHECKPOINT_MISSING:
        return reverse("audit:index")
    if operation is not None and (kind in _OPERATION_PAGE or revision is None):
        return operation.get_absolute_url()
    if revision is not None:
        return revision.get_absolute_url()
    if trait_group is not None:
        if kind == Kind.DRIFT_DETECTED:
            return reverse("stores:drift", args=[trait_group.store_id, trait_group.name])
        return trait_group.get_absolute_url()
    return reverse("home")


def _email_rows(notification: Notification, people) -> list[Delivery]:
    now = timezone.now()
    preferences = {
        preference.user_id: preference
        for preference in Preference.objects.filter(user__in=[person.pk for person in people])
    }
    rows = []
    for person in people:
        preference = preferences.get(person.pk) or Preference(user=person)
        if not person.email or not preference.wants(notification.kind):
            continue
        rows.append(
            Delivery(
                notification=notification,
                channel=Delivery.Channel.EMAIL,
                recipient=person,
                digest=preference.digest,
                next_attempt_at=delivery.next_digest_hour(now) if preference.digest else now,
            )
        )
    return rows


def _destination_rows(notification: Notification) -> list[Delivery]:
    now = timezone.now()
    rows = [
        Delivery(
            notification=notification,
            channel=destination.channel,
            destination=destination,
            next_attempt_at=now,
        )
        for destination in Destination.objects.all()
        if destination.wants(notification.kind)
    ]
    rows += [
        Delivery(
            notification=notification,
            channel=Delivery.Channel.APPRISE,
            configured_key=configured.key,
            next_attempt_at=now,
        )
        for configured in destinations.configured_destinations()
    ]
    return rows


def _queue(rows: list[Delivery]) -> None:
    created = Delivery.objects.bulk_create(rows)
    for row in created:
        tasks.schedule(row)


def save_preferences(*, user, muted: list[str], digest: bool) -> Preference:
    """Stores which kinds `user` does not want by e-mail, and whether they want a digest."""
    preference, _ = Preference.objects.update_or_create(
        user=user, defaults={"muted": sorted(set(muted)), "digest": digest}
    )
    return preference


def add_destination(
    *, name: str, channel: str, url: str, signing_secret: str = "", kinds: list[str], actor
) -> Destination:
    """Saves a destination; from now on pages show only its masked URL."""
    with transaction.atomic():
        destination = Destination.objects.create(
            name=name,
            channel=channel,
            url=url,
            signing_secret=signing_secret,
            masked_url=channels.mask_url(url),
            kinds=sorted(set(kinds)),
            created_by=actor,
        )
        audit.record(
            action="notifications.destination_added",
            actor=actor,
            target=destination,
            detail=f"{destination.get_channel_display()} {destination.masked_url}",
        )
    return destination


def remove_destination(*, destination: Destination, actor) -> None:
    """Deletes a destination and its delivery history."""
    with transaction.atomic():
        audit.record(
            action="notifications.destination_removed",
            actor=actor,
            target=destination,
            detail=destination.masked_url,
        )
        destination.delete()


def send_test(
    *, actor, destination: Destination | None = None, configured_key: str = ""
) -> Delivery:
    """Sends a test message to one destination now, through the outbox; returns its delivery."""
    label = destination.name if destination else f"configured destination {configured_key}"
    with transaction.atomic():
        notification = Notification.objects.create(
            kind=Kind.TEST,
            actor=actor,
            names={"destination": label, "actor": actor.get_username()},
            link=reverse("notifications:destinations"),
        )
        row = Delivery.objects.create(
            notification=notification,
            channel=destination.channel if destination else Delivery.Channel.APPRISE,
            destination=destination,
            configured_key=configured_key,
            next_attempt_at=timezone.now(),
        )
    delivery.deliver(delivery_id=row.pk)
    row.refresh_from_db()
    return row
