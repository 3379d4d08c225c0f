"""memadmin's record of trait groups and of the revisions people make to them."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from memadmin.operations.models import Operation
from memadmin.traitgroups.constraints import PROTECTED_TRAIT_GROUPS
from memadmin.traitgroups.digests import content_digest


class TraitGroup(models.Model):
    """One trait group of one Memory store, as memadmin knows it (one per store and name)."""

    store_id = models.CharField(max_length=40, db_index=True)
    # The displayName, which addresses the group in Twilio.
    name = models.CharField(max_length=64)
    # The TraitGroup body last fetched from Twilio (displayName, description, traits).
    live_definition = models.JSONField(null=True, blank=True)
    live_version = models.PositiveIntegerField(null=True, blank=True)
    live_etag = models.CharField(max_length=128, blank=True)
    live_synced_at = models.DateTimeField(null=True, blank=True)
    # What memadmin last published; drift detection compares it with the live definition.
    published_definition = models.JSONField(null=True, blank=True)
    deleted_in_twilio = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["store_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["store_id", "name"], name="traitgroup_unique_name")
        ]
        permissions = [("sync_store", "Can sync stores from Twilio")]

    def __str__(self) -> str:
        return f"{self.name} ({self.store_id})"

    def get_absolute_url(self) -> str:
        return reverse("traitgroups:detail", args=[self.store_id, self.name])

    @property
    def is_protected(self) -> bool:
        """An out-of-the-box group (Contact): Twilio refuses to delete it."""
        return self.name in PROTECTED_TRAIT_GROUPS

    @property
    def trait_count(self) -> int:
        return len((self.live_definition or {}).get("traits") or {})


# A revision's JSON fields and the fields keeping their digests.
_DIGESTS = {"definition": "definition_digest", "base_definition": "base_digest"}


class TraitGroupRevision(models.Model):
    """An edit of a trait group: a draft until submitted for review, frozen afterwards."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # What the revision does to the group is what the operation publishing it does.
    Kind = Operation.Kind

    EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED)
    # A draft thrown away before review: withdrawn, never submitted. Lists leave it out.
    DISCARDED = models.Q(state=State.WITHDRAWN, submitted_at__isnull=True)

    # Null for a brand-new group that Twilio does not know yet.
    trait_group = models.ForeignKey(
        TraitGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    store_id = models.CharField(max_length=40, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.CREATE)
    # Exactly the TraitGroupRequest body the builder would send.
    definition = models.JSONField(default=dict)
    # The live definition this revision started from, for diffs.
    base_definition = models.JSONField(null=True, blank=True)
    # Both definitions' `digests.content_digest`, kept by `save()`: what caches keyed by
    # content (diffs, a dry run's staleness) look up without decoding 95 traits of JSON.
    # "" where not kept (rows written by bulk_create): ask `definition_key`/`base_key`.
    definition_digest = models.CharField(max_length=64, blank=True, editable=False)
    base_digest = models.CharField(max_length=64, blank=True, editable=False)
    base_version = models.PositiveIntegerField(null=True, blank=True)
    base_etag = models.CharField(max_length=128, blank=True)
    state = models.CharField(max_length=24, choices=State, default=State.DRAFT, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_revisions"
    )
    # Optimistic concurrency: a save must carry the version it edited.
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("edit_draft", "Can create and edit draft revisions"),
            ("submit_for_review", "Can submit revisions for review"),
            ("review_revision", "Can approve or request changes"),
            ("publish_revision", "Can publish approved revisions"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk} of {self.display_name or '(unnamed)'} ({self.state})"

    def save(self, *args, **kwargs) -> None:
        """Keeps each definition's digest with it (`definition_digest`, `base_digest`)."""
        update_fields = kwargs.get("update_fields")
        saved = set(update_fields) if update_fields is not None else None
        deferred = self.get_deferred_fields()
        for field, digest_field in _DIGESTS.items():
            if field in deferred or (saved is not None and field not in saved):
                continue  # not being written: its digest stands
            setattr(self, digest_field, content_digest(getattr(self, field)))
            if saved is not None:
                saved.add(digest_field)
        if saved is not None:
            kwargs["update_fields"] = saved
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(self.page_url_name, args=[self.pk])

    @property
    def definition_key(self) -> str:
        """`content_digest(self.definition)`, from the row when it keeps it."""
        return self.definition_digest or content_digest(self.definition)

    @property
    def base_key(self) -> str:
        """`content_digest(self.base_definition)`, from the row when it keeps it."""
        return self.base_digest or content_digest(self.base_definition)

    @property
    def page_url_name(self) -> str:
        return self.page_url_name_in(self.state)

    @classmethod
    def page_url_name_in(cls, state: str) -> str:
        """The builder while a revision is editable, its review page once submitted."""
        return "traitgroups:revision" if state in cls.EDITABLE_STATES else "reviews:revision"

    @property
    def display_name(self) -> str:
        return (self.definition or {}).get("displayName", "")

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def what_it_does(self) -> str:
        """What the revision is, as a person would say it: "New group", "Change to Contact"."""
        name = self.trait_group.name if self.trait_group_id else self.display_name
        if self.kind == self.Kind.DELETE:
            return f"Deletion of {name}"
        if self.kind == self.Kind.UPDATE:
            return f"Change to {name}"
        return "New group"

    @property
    def was_discarded(self) -> bool:
        """The row's side of `DISCARDED`: withdrawn before it was ever submitted."""
        return self.state == self.State.WITHDRAWN and self.submitted_at is None


class TraitGroupVersion(models.Model):
    """One live version of a group as memadmin saw it: published, synced, or imported.

    Rows are only ever added (kept forever): the history page, restores and the store-as-of
    view read them. `definition` is None for the moment memadmin saw the group deleted.
    """

    class Source(models.TextChoices):
        PUBLISH = "publish", "Published by memadmin"
        SYNC = "sync", "Found in Twilio"
        IMPORT = "import", "Known before history was kept"

    trait_group = models.ForeignKey(TraitGroup, on_delete=models.PROTECT, related_name="versions")
    # Twilio's version number; None for a deletion, or where it was never known.
    version = models.PositiveIntegerField(null=True, blank=True)
    definition = models.JSONField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.ForeignKey(
        TraitGroupRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When memadmin first saw this version live (it may have gone live a little earlier).
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["trait_group", "seen_at", "pk"]
        indexes = [
            models.Index(fields=["trait_group", "seen_at"], name="tgversion_group_seen"),
        ]

    def __str__(self) -> str:
        what = "deleted" if self.is_deletion else f"v{self.version}"
        return f"{self.trait_group.name} {what} ({self.get_source_display()})"

    @property
    def is_deletion(self) -> bool:
        return self.definition is None

    @property
    def trait_count(self) -> int:
        return len((self.definition or {}).get("traits") or {})


class RevisionContribution(models.Model):
    """Someone who put content into a revision: four eyes means none of them approves it.

    One row per person and way of contributing; saving another person's draft makes the
    saver a co-author, which reviewers see and which bars them from approving it.
    """

    class Kind(models.TextChoices):
        AUTHORED = "authored", "wrote it"
        SAVED = "saved", "saved changes"
        IMPORTED = "imported", "imported JSON"
        REBASED = "rebased", "rebased it"

    revision = models.ForeignKey(
        TraitGroupRevision, on_delete=models.CASCADE, related_name="contributions"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "user", "kind"], name="revision_contribution_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} (revision {self.revision_id})"
