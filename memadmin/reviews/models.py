"""Review rounds, reviewers' decisions and comment threads on trait group revisions."""

from django.conf import settings
from django.db import models


class ReviewRound(models.Model):
    """One submission of a revision for review, with the definition exactly as submitted.

    Approvals count per round: resubmitting (after changes were requested, or after a
    rebase) starts a new round, so earlier approvals do not carry over to new content.
    """

    revision = models.ForeignKey(
        "traitgroups.TraitGroupRevision", on_delete=models.CASCADE, related_name="review_rounds"
    )
    number = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    # What reviewers were shown; publishing refuses a definition that differs from it.
    definition = models.JSONField()

    class Meta:
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "number"], name="review_round_unique")
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of revision {self.revision_id}"


class Review(models.Model):
    """A reviewer's decision on one round of a revision."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        REQUEST_CHANGES = "request_changes", "Requested changes"

    revision = models.ForeignKey(
        "traitgroups.TraitGroupRevision", on_delete=models.CASCADE, related_name="reviews"
    )
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(max_length=20, choices=Decision)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="review_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer} ({self.round})"


class ReviewComment(models.Model):
    """A remark on a revision, optionally about one trait, optionally a reply to another."""

    revision = models.ForeignKey(
        "traitgroups.TraitGroupRevision", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_comments"
    )
    body = models.TextField()
    trait_name = models.CharField(max_length=128, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author} on revision {self.revision_id}"
