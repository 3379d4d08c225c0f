"""Notifications: the event, one delivery row per recipient or destination, each attempt.

`Delivery` is the outbox: its rows are written in the transaction of the event they tell
of, so a message exists exactly when its event does; `delivery.py` sends them later.
"""

from django.conf import settings
from django.db import models

from memadmin.notifications.events import Kind


class Notification(models.Model):
    """Something happened that someone should hear of: one row per event."""

    kind = models.CharField(max_length=32, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The names the line quotes ({"group": …, "store": …}); never a trait value or a secret.
    names = models.JSONField(default=dict)
    # The path of the page to act on; made absolute with MEMADMIN_BASE_URL when sent.
    link = models.CharField(max_length=500)
    store_id = models.CharField(max_length=40, blank=True)
    trait_group = models.CharField(max_length=64, blank=True)
    revision_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Destination(models.Model):
    """A chat or webhook destination an Admin configured; its URL is a secret, never shown."""

    class Channel(models.TextChoices):
        APPRISE = "apprise", "Apprise URL (Slack, Teams, Discord, …)"
        WEBHOOK = "webhook", "Signed JSON webhook"

    name = models.CharField(max_length=80, unique=True)
    channel = models.CharField(max_length=16, choices=Channel)
    # The secret parts: the URL (tokens live in it) and the webhook's signing key.
    url = models.CharField(max_length=2000)
    signing_secret = models.CharField(max_length=200, blank=True)
    # What pages show instead of the URL, computed once when it is saved.
    masked_url = models.CharField(max_length=300)
    # Kinds this destination hears of; empty means every kind.
    kinds = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("manage_notifications", "Can configure notification destinations and see deliveries")
        ]

    def __str__(self) -> str:
        return self.name

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class Delivery(models.Model):
    """One message to one person (by e-mail) or one destination, and where it stands."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        APPRISE = "apprise", "Apprise"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Retrying"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    WAITING = (Status.PENDING, Status.RETRYING)

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=16, choices=Channel)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    destination = models.ForeignKey(
        Destination, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # A destination from NOTIFY_APPRISE_URLS: a fingerprint, so the URL stays in the env.
    configured_key = models.CharField(max_length=16, blank=True)
    # Held for the recipient's hourly digest instead of sent on its own.
    digest = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # One sender at a time: a worker owns the row until `lease_until`.
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="delivery_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["notification", "destination"],
                condition=models.Q(destination__isnull=False),
                name="delivery_once_per_destination",
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery {self.pk} ({self.channel}, {self.status})"

    @property
    def target_label(self) -> str:
        """Who or where, in words that reveal no secret."""
        if self.recipient_id:
            return self.recipient.get_username()
        if self.destination_id:
            return self.destination.name
        return f"configured destination {self.configured_key}"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery, and how it went."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed, will retry"
        FAILED = "failed", "Failed for good"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}: {self.outcome}"


class Preference(models.Model):
    """What one person wants to hear of by e-mail, and whether in an hourly digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # Opt-out, so a kind added later reaches people until they turn it off.
    muted = models.JSONField(default=list, blank=True)
    digest = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"

    def wants(self, kind: str) -> bool:
        return kind not in self.muted
