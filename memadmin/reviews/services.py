"""Review actions on revisions; each checks `policy`, moves the state machine and audits.
Going live (publish, publish many, rebase) is in `publishing`, the shared steps in `steps`.

Refusals are exceptions a view turns into a message and a 4xx: `PermissionDenied` when
the person may not act at all, `ReviewRefused` (or `IllegalTransition`) when the
revision's state or the input does not allow it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from memadmin.memory_api.errors import MemoryApiError
from memadmin.notifications import services as notifications
from memadmin.reviews import policy, selectors, steps, workflow
from memadmin.reviews.models import Review, ReviewComment
from memadmin.reviews.workflow import InvalidReviewInput, ReviewRefused
from memadmin.traitgroups import selectors as traitgroup_selectors
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.services import (
    fetch_group,
    record_contribution,
    record_revision_event,
)

State = TraitGroupRevision.State
MAX_COMMENT_LENGTH = 5000


def submit_for_review(*, revision: TraitGroupRevision, actor) -> TraitGroupRevision:
    """Freezes a draft and starts a review round; earlier approvals do not carry over."""
    with transaction.atomic():
        revision = steps.locked(revision)
        steps.enforce("submit", actor=actor, revision=revision)
        if not revision.display_name:
            raise InvalidReviewInput("Give the trait group a name before submitting it.")
        errors = traitgroup_selectors.definition_errors(revision)
        if errors:
            raise InvalidReviewInput(
                f"Fix the {len(errors)} problem(s) the builder marks before submitting: "
                + " ".join(issue.message for issue in errors[:3])
            )
        workflow.transition(revision, State.IN_REVIEW, actor=actor)
        review_round = steps.start_round(revision, actor=actor)
        record_revision_event(
            "review.submitted",
            actor=actor,
            revision=revision,
            before=revision.base_definition,
            after=revision.definition,
            detail=f"Round {review_round.number}.",
        )
        notifications.notify(notifications.Kind.REVIEW_REQUESTED, actor=actor, revision=revision)
    return revision


def withdraw(*, revision: TraitGroupRevision, actor) -> TraitGroupRevision:
    """The author abandons their revision; it can no longer be reviewed or published."""
    with transaction.atomic():
        revision = steps.locked(revision)
        steps.enforce("withdraw", actor=actor, revision=revision)
        workflow.transition(revision, State.WITHDRAWN, actor=actor)
        record_revision_event("review.withdrawn", actor=actor, revision=revision)
    return revision


def discard_draft(*, revision: TraitGroupRevision, actor) -> TraitGroupRevision:
    """Throws away a draft never submitted: withdrawn, it leaves every list of open work."""
    with transaction.atomic():
        revision = steps.locked(revision)
        refused = policy.discard_refusal(actor=actor, revision=revision)
        if refused is not None and refused.status == policy.FORBIDDEN:
            raise PermissionDenied(refused.message)
        if refused is not None:
            raise ReviewRefused(refused.message)
        workflow.transition(revision, State.WITHDRAWN, actor=actor)
        # What was thrown away stays readable in the audit log.
        record_revision_event(
            "revision.discarded",
            actor=actor,
            revision=revision,
            before=revision.definition,
            detail=f"Draft {revision.pk} discarded before review.",
        )
    return revision


def approve(*, revision: TraitGroupRevision, actor, comment: str = "") -> Review:
    """Records an approval; with as many as its risk tier requires, the revision is APPROVED.

    The tier (and so the count, `REVIEW_APPROVALS_REQUIRED`) is judged now, on the stored
    impact and the latest dry run; `policy` refuses a second approval by the same reviewer.
    """
    with transaction.atomic():
        revision = steps.locked(revision)
        steps.enforce("approve", actor=actor, revision=revision)
        review_round = selectors.current_round(revision)
        if review_round is None:
            raise ReviewRefused("This revision was never submitted for review.")
        review = Review.objects.create(
            revision=revision,
            round=review_round,
            reviewer=actor,
            decision=Review.Decision.APPROVE,
            comment=comment.strip(),
        )
        if comment.strip():
            steps.add_comment(revision=revision, actor=actor, body=comment)
        standing = selectors.approval_standing(revision, review_round)
        if standing.enough and revision.state == State.IN_REVIEW:
            workflow.transition(revision, State.APPROVED, actor=actor)
        record_revision_event(
            "review.approved",
            actor=actor,
            revision=revision,
            detail=f"Approval {standing.given} of {standing.required} ({standing.tier} risk) "
            f"in round {review_round.number}.",
        )
        notifications.notify(notifications.Kind.APPROVED, actor=actor, revision=revision)
    return review


def request_changes(*, revision: TraitGroupRevision, actor, comment: str) -> Review:
    """Sends the revision back to its author, saying what to change (a comment is required)."""
    with transaction.atomic():
        revision = steps.locked(revision)
        # Who may act comes before what they wrote: a reader gets 403, not a form error.
        steps.enforce("request_changes", actor=actor, revision=revision)
        body = _clean_body(comment, what="Say what needs to change")
        review_round = selectors.current_round(revision)
        if review_round is None:
            raise ReviewRefused("This revision was never submitted for review.")
        review = Review.objects.create(
            revision=revision,
            round=review_round,
            reviewer=actor,
            decision=Review.Decision.REQUEST_CHANGES,
            comment=body,
        )
        steps.add_comment(revision=revision, actor=actor, body=body)
        workflow.transition(revision, State.CHANGES_REQUESTED, actor=actor)
        record_revision_event(
            "review.changes_requested", actor=actor, revision=revision, detail=body
        )
        notifications.notify(notifications.Kind.CHANGES_REQUESTED, actor=actor, revision=revision)
    return review


def comment(
    *,
    revision: TraitGroupRevision,
    actor,
    body: str,
    parent: ReviewComment | None = None,
    trait_name: str = "",
) -> ReviewComment:
    """Adds a comment to the revision's thread, or a reply to one of its comments."""
    steps.enforce("comment", actor=actor, revision=revision)
    body = _clean_body(body, what="Write a comment")
    if parent is not None and parent.revision_id != revision.pk:
        raise InvalidReviewInput("You can only reply to a comment on the same revision.")
    with transaction.atomic():
        created = steps.add_comment(
            revision=revision, actor=actor, body=body, parent=parent, trait_name=trait_name
        )
        record_revision_event("review.commented", actor=actor, revision=revision, detail=body[:200])
        notifications.notify(notifications.Kind.COMMENTED, actor=actor, revision=revision)
    return created


def _clean_body(body: str, *, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidReviewInput(f"{what}: the comment is empty.")
    if len(body) > MAX_COMMENT_LENGTH:
        raise InvalidReviewInput(f"A comment holds at most {MAX_COMMENT_LENGTH} characters.")
    return body


def request_delete(*, trait_group: TraitGroup, actor, confirm_name: str) -> TraitGroupRevision:
    """A DELETE revision of the group, straight into review; the name must be typed to confirm."""
    if not actor.has_perm("traitgroups.edit_draft"):
        raise PermissionDenied("Only operators can ask for a trait group to be deleted.")
    if trait_group.is_protected:
        raise ReviewRefused(
            f"'{trait_group.name}' is an out-of-the-box group: Twilio protects it, so it "
            "cannot be deleted (adding traits to it is fine)."
        )
    if (confirm_name or "").strip() != trait_group.name:
        raise InvalidReviewInput(
            f"To confirm, type the group's name exactly: {trait_group.name} "
            f"(you typed {confirm_name.strip()!r})."
        )
    pending = trait_group.revisions.filter(kind=TraitGroupRevision.Kind.DELETE).exclude(
        state__in=[State.WITHDRAWN, State.PUBLISHED, State.FAILED]
    )
    if pending.exists():
        raise ReviewRefused(f"Deleting '{trait_group.name}' is already waiting for review.")
    if not trait_group.live_etag:  # a sync brings no ETag; the DELETE's If-Match needs one
        try:
            trait_group = fetch_group(store_id=trait_group.store_id, name=trait_group.name)
        except MemoryApiError as exc:
            raise ReviewRefused(exc.user_message) from None
    with transaction.atomic():
        revision = TraitGroupRevision.objects.create(
            trait_group=trait_group,
            store_id=trait_group.store_id,
            kind=TraitGroupRevision.Kind.DELETE,
            definition={"displayName": trait_group.name},
            base_definition=trait_group.live_definition,
            base_version=trait_group.live_version,
            base_etag=trait_group.live_etag,
            author=actor,
        )
        record_contribution(revision=revision, user=actor, kind="authored")
        workflow.transition(revision, State.IN_REVIEW, actor=actor)
        steps.start_round(revision, actor=actor)
        record_revision_event(
            "traitgroup.delete_requested",
            actor=actor,
            revision=revision,
            before=trait_group.live_definition,
        )
        notifications.notify(notifications.Kind.REVIEW_REQUESTED, actor=actor, revision=revision)
    return revision
