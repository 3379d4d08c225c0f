"""A data dry run of one revision: its progress, its resume cursor and its counts.

The counts and the cursor are written together, one page of profiles at a time, so a
run stopped anywhere resumes from its cursor without counting any profile twice.
Trait values are customer data: only counts and masked examples are ever stored.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from memadmin.traitgroups.models import TraitGroupRevision


class DryRun(models.Model):
    """One sampling of live profiles against a revision's proposed definition."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)
    RESUMABLE_STATES = (State.QUEUED, State.RUNNING, State.INTERRUPTED)

    revision = models.ForeignKey(
        TraitGroupRevision, on_delete=models.CASCADE, related_name="dry_runs"
    )
    store_id = models.CharField(max_length=40)
    # The group's live version it was computed against (None: the group is not live).
    live_version = models.PositiveIntegerField(null=True, blank=True)
    # The revision's `definition_key` (its definition's digest) when it checked it.
    definition_digest = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State, default=State.QUEUED, db_index=True)
    sample_size = models.PositiveIntegerField()
    sampled = models.PositiveIntegerField(default=0)
    # Resume cursor: the token of the page being read ("" for the first) and how many
    # profiles of that page are already counted.
    page_token = models.CharField(max_length=4096, blank=True)
    page_position = models.PositiveIntegerField(default=0)
    # {traitName: {"rejected": int, "sampled": int, "reason": str}}
    violations = models.JSONField(default=dict)
    # {traitName: [masked value, …]}, at most DRY_RUN_EXAMPLES_PER_TRAIT each. Masked only.
    masked_examples = models.JSONField(default=dict)
    # Why it failed or stopped, in words a person can act on; never a value.
    error_message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["revision", "-created_at"], name="dryrun_revision_newest")]

    def __str__(self) -> str:
        return f"Dry run {self.pk} of revision {self.revision_id} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("dryrun:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def is_stale(self) -> bool:
        """True when the revision's definition or the group's live version changed since."""
        revision = self.revision
        if revision.definition_key != self.definition_digest:
            return True
        group = revision.trait_group
        current = group.live_version if group is not None else None
        return current != self.live_version

    @property
    def rejected_traits(self) -> list[str]:
        """Names of the traits some sampled value of which the definition would reject."""
        return sorted(
            name for name, counts in (self.violations or {}).items() if counts.get("rejected", 0)
        )

    @property
    def progress_percent(self) -> int:
        if not self.sample_size:
            return 100
        return min(100, round(100 * self.sampled / self.sample_size))
