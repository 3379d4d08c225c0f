"""Audit events: append-only rows, each carrying the hash of the one before it."""

from django.conf import settings
from django.db import models

from memadmin.audit import diff

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    """Reads only: updates and deletes are refused here, and again by database triggers."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("audit:detail", args=[self.pk])

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be updated.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("Audit events are appended one by one by audit.services.record().")


# Internal model labels, as the people reading the log call those things.
TARGET_NOUNS = {
    "traitgroups.traitgrouprevision": "Revision",
    "operations.operation": "Operation",
    "auth.user": "User",
    "stores.syncrun": "Store sync",
    "stores.driftdetection": "Drift report",
    "traitgroups.traitgroup": "Trait group",
}


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    ERROR = "error", "Error"


class AuditEvent(models.Model):
    """Who did what to which trait group, when, from where, and how it ended."""

    time = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Deleting a user would rewrite their events; deactivate them instead.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    store_id = models.CharField(max_length=100, blank=True)
    trait_group = models.CharField(max_length=100, blank=True)
    revision_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    diff_summary = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.SUCCESS)
    api_status = models.PositiveSmallIntegerField(null=True, blank=True)
    twilio_code = models.PositiveIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        default_permissions = ("view",)
        permissions = [("export_auditevent", "Can export audit events")]
        indexes = [
            models.Index(fields=["time", "outcome"], name="audit_time_outcome_idx"),
            models.Index(fields=["actor_username", "-id"], name="audit_actor_idx"),
            models.Index(fields=["action", "-id"], name="audit_action_idx"),
            models.Index(fields=["store_id", "trait_group", "-id"], name="audit_trait_group_idx"),
            models.Index(fields=["outcome", "-id"], name="audit_outcome_idx"),
            # "Which publishes failed": without it PostgreSQL intersects two big bitmaps.
            models.Index(fields=["outcome", "action", "-id"], name="audit_outcome_action_idx"),
            # trait_group last: a store's page filtered by a trait-group prefix (istartswith,
            # no range) checks each event's group in the index, not in its table row.
            models.Index(fields=["store_id", "-id", "trait_group"], name="audit_store_idx"),
            models.Index(fields=["revision_id", "-id"], name="audit_revision_idx"),
        ]
        constraints = [
            # Two events claiming the same predecessor would fork the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_username or 'system'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        if not self.hash:
            raise AppendOnlyError("Audit events are written by audit.services.record().")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def target_display(self) -> str:
        """The target as a person names it: "Revision 3 of Preferences", "Operation #12"."""
        if not (self.target_type or self.target_id or self.target_label):
            return ""
        noun = TARGET_NOUNS.get(self.target_type)
        if noun == "Revision" and self.target_id:
            of = f" of {self.trait_group}" if self.trait_group else ""
            return f"Revision {self.target_id}{of}"
        if noun == "Operation" and self.target_id:
            return f"Operation #{self.target_id}"
        if noun == "User":
            return f"User {self.target_label or self.target_id}"
        if noun:
            return f"{noun} {self.target_label or self.target_id}".strip()
        return self.target_label or self.target_id

    def changes(self) -> list[diff.Change]:
        """What changed between before and after, path by path, for the detail page."""
        return diff.changes(self.before, self.after)


class CheckpointQuerySet(models.QuerySet):
    """Reads only, like the events: the triggers refuse changes in the database too."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit checkpoints cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit checkpoints cannot be deleted.")


class AuditCheckpoint(models.Model):
    """The chain's head at one moment, signed so that a rewrite after it cannot hide.

    Whoever controls the database can re-hash every event, but cannot sign a new head
    without the Ed25519 key, which lives only in the environment (AUDIT_SIGNING_KEY).
    """

    time = models.DateTimeField()
    event_id = models.BigIntegerField()  # the last event the checkpoint covers
    head_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True)  # "" when unsigned
    signature = models.CharField(max_length=128, blank=True)  # hex; "" when unsigned

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["event_id"], name="audit_checkpoint_event_idx")]

    def __str__(self) -> str:
        return f"Checkpoint #{self.pk} at event {self.event_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit checkpoints cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit checkpoints cannot be deleted.")

    @property
    def is_signed(self) -> bool:
        return bool(self.signature)
