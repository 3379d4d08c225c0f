"""What memadmin remembers about syncing stores: each run, each drift it reported, the schedule."""

from django.conf import settings
from django.db import models


class SyncRun(models.Model):
    """One pull of a store's trait groups from Twilio, on demand or on the schedule."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "Sync now"
        SCHEDULED = "scheduled", "Schedule"
        COMMAND = "command", "Command line"
        FIRST_VISIT = "first_visit", "First visit to the store's groups"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    store_id = models.CharField(max_length=40, db_index=True)
    state = models.CharField(max_length=16, choices=State, default=State.QUEUED)
    trigger = models.CharField(max_length=16, choices=Trigger, default=Trigger.MANUAL)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress, updated after every page Twilio returns.
    pages = models.PositiveIntegerField(default=0)
    groups_seen = models.PositiveIntegerField(default=0)
    groups_created = models.PositiveIntegerField(default=0)
    groups_updated = models.PositiveIntegerField(default=0)
    groups_deleted = models.PositiveIntegerField(default=0)
    groups_drifted = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["store_id", "-created_at"], name="syncrun_store_recent")]

    def __str__(self) -> str:
        return f"Sync of {self.store_id} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


class DriftDetection(models.Model):
    """A live version of a group that differed from what memadmin published; one per version,
    so that the audit log hears about each out-of-band change once, not on every sync."""

    store_id = models.CharField(max_length=40)
    name = models.CharField(max_length=64)
    live_version = models.PositiveIntegerField()
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["store_id", "name", "live_version"], name="drift_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"Drift of {self.name} v{self.live_version} ({self.store_id})"


class SyncSchedule(models.Model):
    """The one periodic sync: the task due at `next_run_at` is the only one that acts."""

    next_run_at = models.DateTimeField(null=True, blank=True)
    interval_seconds = models.PositiveIntegerField(default=600)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sync every {self.interval_seconds}s, next at {self.next_run_at}"
