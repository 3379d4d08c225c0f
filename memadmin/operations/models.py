"""One Memory API write and the long-running operation Twilio made of it.

The row is the outbox: it is saved (status SUBMITTING, with the exact request) before
the HTTP call, so a crash between the two leaves a record `reconcile_operations`
finishes. After Twilio's 202 it follows the `statusUrl` until a terminal status.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

# `error_code` is 32 bits wide on PostgreSQL, the spec's error `code` any integer: a code
# outside that range is kept in the detail rather than lost or allowed to crash a save.
STORABLE_ERROR_CODES = range(-(2**31), 2**31)


class Operation(models.Model):
    """A submitted create, update or delete of a trait group, tracked to its end."""

    class Status(models.TextChoices):
        SUBMITTING = "SUBMITTING", "Submitting"
        PENDING = "PENDING", "Pending"
        RUNNING = "RUNNING", "Running"
        COMPLETED = "COMPLETED", "Completed"
        FAILED = "FAILED", "Failed"
        CANCELLED = "CANCELLED", "Cancelled"
        UNKNOWN = "UNKNOWN", "Unknown"

    class Kind(models.TextChoices):
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"

    TERMINAL = frozenset({Status.COMPLETED, Status.FAILED, Status.CANCELLED})
    # Twilio has it and is working on it: the poller's business.
    IN_FLIGHT = frozenset({Status.PENDING, Status.RUNNING})
    # Nobody knows for sure what Twilio did: `reconcile_operations`' business.
    UNSETTLED = frozenset({Status.SUBMITTING, Status.UNKNOWN})
    METHOD_FOR_KIND = {Kind.CREATE: "POST", Kind.UPDATE: "PATCH", Kind.DELETE: "DELETE"}

    # What it was.
    kind = models.CharField(max_length=8, choices=Kind)
    store_id = models.CharField(max_length=40, db_index=True)
    trait_group_name = models.CharField(max_length=64, db_index=True)
    revision = models.ForeignKey(
        "traitgroups.TraitGroupRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operations",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operations",
    )

    # The outbox: exactly what is (or was) sent, so it can be sent again, once.
    method = models.CharField(max_length=8)
    request_body = models.JSONField(null=True, blank=True)
    if_match = models.CharField(max_length=128, blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission_attempts = models.PositiveSmallIntegerField(default=0)
    # Set when a submission may have reached Twilio; cleared when Twilio definitely said no.
    last_sent_at = models.DateTimeField(null=True, blank=True)

    # Twilio's answer and the operation's progress.
    status = models.CharField(
        max_length=12, choices=Status, default=Status.SUBMITTING, db_index=True
    )
    status_url = models.CharField(max_length=2048, blank=True)
    operation_id = models.CharField(max_length=512, blank=True, db_index=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    poll_deadline = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    poll_count = models.PositiveIntegerField(default=0)
    retry_after = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    result_url = models.CharField(max_length=2048, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_title = models.CharField(max_length=200, blank=True)
    error_detail = models.TextField(blank=True)
    # A submission Twilio refused for a passing reason (503, 429): the Retry action sends it again.
    retryable = models.BooleanField(default=False)
    # The last transient trouble while polling, shown in words; cleared by a good poll.
    last_poll_problem = models.CharField(max_length=300, blank=True)

    # Several workers, one poller at a time: a worker owns the row until `lease_until`.
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    # "Refresh now" is rate-limited per operation.
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        permissions = [("refresh_operation", "Can refresh, reconcile and retry operations")]
        indexes = [models.Index(fields=["status", "next_poll_at"], name="operation_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.trait_group_name} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("operations:detail", args=[self.pk])

    @property
    def is_terminal(self) -> bool:
        return self.status in self.TERMINAL

    @property
    def is_in_flight(self) -> bool:
        return self.status in self.IN_FLIGHT

    @property
    def is_unsettled(self) -> bool:
        return self.status in self.UNSETTLED

    @property
    def was_accepted(self) -> bool:
        """Twilio answered 202: there is a statusUrl to follow."""
        return bool(self.status_url)

    @property
    def can_retry(self) -> bool:
        return (
            self.status == self.Status.FAILED
            and self.retryable
            and not self.was_accepted
            and not self.superseded
        )

    # TraitGroupRevision.State.FAILED: this app sits below traitgroups and may not import it.
    REVISION_FAILED = "failed"

    @classmethod
    def not_superseded(cls) -> Q:
        """Rows whose revision (if any) is still where this submission left it: FAILED,
        with no newer submission. The condition a Retry's conditional UPDATE carries."""
        newer = cls.objects.filter(revision_id=OuterRef("revision_id"), pk__gt=OuterRef("pk"))
        return Q(revision__isnull=True) | (Q(revision__state=cls.REVISION_FAILED) & ~Exists(newer))

    @property
    def superseded(self) -> bool:
        """The revision moved on since this submission: re-sending its body would publish
        what is no longer the revision (or no longer approved)."""
        if self.revision_id is None or self.pk is None:
            return False
        return not type(self).objects.filter(Q(pk=self.pk) & self.not_superseded()).exists()

    @property
    def has_error(self) -> bool:
        return bool(self.error_title or self.error_detail or self.error_code)

    def set_error(self, *, code: int | None, title: str, detail: str) -> None:
        """Records an error as Twilio gave it, whatever its code and lengths."""
        if code is not None and code not in STORABLE_ERROR_CODES:
            detail = f"(Twilio's error code: {code}) {detail}".strip()
            code = None
        self.error_code = code
        self.error_title = title[: self._meta.get_field("error_title").max_length]
        self.error_detail = detail

    @property
    def error_in_words(self) -> str:
        """Twilio's error as a sentence a person can act on."""
        if not self.has_error:
            return ""
        parts = [self.error_title or "Error"]
        if self.error_code:
            parts[0] += f" (code {self.error_code})"
        if self.error_detail:
            parts.append(self.error_detail)
        return ": ".join(parts)


class WorkerHeartbeat(models.Model):
    """A background worker's last sign of life (see `operations.workers`)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.beat_at:%H:%M:%S}"
