"""Review actions on revisions; each checks `policy`, moves the state machine and audits.

Refusals are exceptions a view turns into a message and a 4xx: `PermissionDenied` when
the person may not act at all, `ReviewRefused` (or `IllegalTransition`) when the
revision's state or the input does not allow it.
"""

import dataclasses

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from memadmin.audit import services as audit
from memadmin.memory_api.client import memory_api_client
from memadmin.memory_api.errors import MemoryApiError
from memadmin.operations.models import Operation
from memadmin.reviews import policy, selectors, workflow
from memadmin.reviews.models import Review, ReviewComment, ReviewRound
from memadmin.reviews.workflow import InvalidReviewInput, ReviewRefused
from memadmin.traitgroups import diff, publishing
from memadmin.traitgroups import selectors as traitgroup_selectors
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.services import fetch_group, record_fetched_group

State = TraitGroupRevision.State
MAX_COMMENT_LENGTH = 5000
# One bulk submission from the inbox; at concurrency 8 it takes a few seconds at most.
MAX_PUBLISHED_AT_ONCE = 100


class PublishConflict(ReviewRefused):
    """Twilio answered 412: the group changed since the revision's base; offer a rebase."""

    def __init__(self, operation: Operation):
        super().__init__(
            f"'{operation.trait_group_name}' was changed in Twilio after this revision was "
            "prepared, so Twilio refused the update (412). Rebase the revision on the new "
            "live definition and review it again."
        )
        self.operation = operation


def _check(action: str, *, actor, revision: TraitGroupRevision) -> None:
    review_round = selectors.current_round(revision)
    reviewed = selectors.has_reviewed(actor, revision, review_round)
    submitted = bool(review_round) and review_round.submitted_by_id == actor.pk
    refused = policy.refusal(
        action, actor=actor, revision=revision, reviewed=reviewed, submitted=submitted
    )
    if refused is None:
        return
    if refused.status == policy.FORBIDDEN:
        raise PermissionDenied(refused.message)
    raise ReviewRefused(refused.message)


def _record(action: str, *, actor, revision: TraitGroupRevision, **fields) -> None:
    audit.record(
        action=action,
        actor=actor,
        target=revision,
        store_id=revision.store_id,
        trait_group=revision.display_name,
        revision_id=revision.pk,
        **fields,
    )


def _locked(revision: TraitGroupRevision) -> TraitGroupRevision:
    """The revision re-read under a row lock, so that checks see what others just did."""
    return TraitGroupRevision.objects.select_for_update().get(pk=revision.pk)


def _start_round(revision: TraitGroupRevision, *, actor) -> ReviewRound:
    previous = selectors.current_round(revision)
    return ReviewRound.objects.create(
        revision=revision,
        number=(previous.number + 1) if previous else 1,
        submitted_by=actor,
        definition=revision.definition,
    )


def submit_for_review(*, revision: TraitGroupRevision, actor) -> TraitGroupRevision:
    """Freezes a draft and starts a review round; earlier approvals do not carry over."""
    with transaction.atomic():
        revision = _locked(revision)
        _check("submit", actor=actor, revision=revision)
        if not revision.display_name:
            raise InvalidReviewInput("Give the trait group a name before submitting it.")
        errors = traitgroup_selectors.definition_errors(revision)
        if errors:
            raise InvalidReviewInput(
                f"Fix the {len(errors)} problem(s) the builder marks before submitting: "
                + " ".join(issue.message for issue in errors[:3])
            )
        workflow.transition(revision, State.IN_REVIEW, actor=actor)
        review_round = _start_round(revision, actor=actor)
        _record(
            "review.submitted",
            actor=actor,
            revision=revision,
            before=revision.base_definition,
            after=revision.definition,
            detail=f"Round {review_round.number}.",
        )
    return revision


def withdraw(*, revision: TraitGroupRevision, actor) -> TraitGroupRevision:
    """The author abandons their revision; it can no longer be reviewed or published."""
    with transaction.atomic():
        revision = _locked(revision)
        _check("withdraw", actor=actor, revision=revision)
        workflow.transition(revision, State.WITHDRAWN, actor=actor)
        _record("review.withdrawn", actor=actor, revision=revision)
    return revision


def approve(*, revision: TraitGroupRevision, actor, comment: str = "") -> Review:
    """Records an approval; with `REVIEW_REQUIRED_APPROVALS` of them the revision is APPROVED."""
    with transaction.atomic():
        revision = _locked(revision)
        _check("approve", actor=actor, revision=revision)
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
            _add_comment(revision=revision, actor=actor, body=comment)
        approvals = selectors.approvals_in(review_round)
        required = settings.REVIEW_REQUIRED_APPROVALS
        if approvals >= required:
            workflow.transition(revision, State.APPROVED, actor=actor)
        _record(
            "review.approved",
            actor=actor,
            revision=revision,
            detail=f"Approval {approvals} of {required} in round {review_round.number}.",
        )
    return review


def request_changes(*, revision: TraitGroupRevision, actor, comment: str) -> Review:
    """Sends the revision back to its author, saying what to change (a comment is required)."""
    with transaction.atomic():
        revision = _locked(revision)
        # Who may act comes before what they wrote: a reader gets 403, not a form error.
        _check("request_changes", actor=actor, revision=revision)
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
        _add_comment(revision=revision, actor=actor, body=body)
        workflow.transition(revision, State.CHANGES_REQUESTED, actor=actor)
        _record("review.changes_requested", actor=actor, revision=revision, detail=body)
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
    _check("comment", actor=actor, revision=revision)
    body = _clean_body(body, what="Write a comment")
    if parent is not None and parent.revision_id != revision.pk:
        raise InvalidReviewInput("You can only reply to a comment on the same revision.")
    with transaction.atomic():
        created = _add_comment(
            revision=revision, actor=actor, body=body, parent=parent, trait_name=trait_name
        )
        _record("review.commented", actor=actor, revision=revision, detail=body[:200])
    return created


def _clean_body(body: str, *, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidReviewInput(f"{what}: the comment is empty.")
    if len(body) > MAX_COMMENT_LENGTH:
        raise InvalidReviewInput(f"A comment holds at most {MAX_COMMENT_LENGTH} characters.")
    return body


def _add_comment(*, revision, actor, body, parent=None, trait_name="") -> ReviewComment:
    return ReviewComment.objects.create(
        revision=revision,
        author=actor,
        body=body.strip(),
        parent=parent,
        trait_name=trait_name.strip()[:128],
    )


def publish(*, revision: TraitGroupRevision, actor) -> Operation:
    """Sends an APPROVED revision to Twilio, exactly as approved; raises PublishConflict on 412."""
    _check_publishable(revision, actor=actor)
    try:
        operation = publishing.publish_revision(revision=revision, actor=actor)
    except publishing.PublishRefused as exc:
        raise ReviewRefused(str(exc)) from None
    refusal = _twilio_refusal(operation)
    if refusal is not None:
        raise refusal
    return operation


def publish_many(*, revisions: list[TraitGroupRevision], actor) -> list[publishing.PublishOutcome]:
    """Sends many APPROVED revisions in one bulk submission; one outcome per revision, in order.

    Each is checked as a single publish would be; one refused does not hold back the rest.
    """
    revisions = list({revision.pk: revision for revision in revisions}.values())
    if len(revisions) > MAX_PUBLISHED_AT_ONCE:
        raise InvalidReviewInput(
            f"Publish at most {MAX_PUBLISHED_AT_ONCE} revisions at once; "
            f"{len(revisions)} were picked."
        )
    if not actor.has_perm("traitgroups.publish_revision"):
        raise PermissionDenied("Only reviewers can publish revisions.")
    refused: dict[int, str] = {}
    for revision in revisions:
        try:
            _check_publishable(revision, actor=actor)
        except (PermissionDenied, ReviewRefused) as exc:
            refused[revision.pk] = str(exc)
    sent = publishing.publish_many(
        revisions=[revision for revision in revisions if revision.pk not in refused], actor=actor
    )
    outcomes = {outcome.revision.pk: _explained(outcome) for outcome in sent}
    return [
        outcomes.get(revision.pk) or publishing.PublishOutcome(revision, None, refused[revision.pk])
        for revision in revisions
    ]


def _check_publishable(revision: TraitGroupRevision, *, actor) -> None:
    """Refuses unless `actor` may publish `revision` and it is exactly what was approved."""
    revision.refresh_from_db()
    _check("publish", actor=actor, revision=revision)
    review_round = selectors.current_round(revision)
    if review_round is None or review_round.definition != revision.definition:
        raise ReviewRefused(
            "This revision changed after it was approved; submit it for review again."
        )


def _twilio_refusal(operation: Operation) -> ReviewRefused | None:
    """What to tell the person when Twilio refused the operation outright, if it did."""
    if operation.status != Operation.Status.FAILED:
        return None
    if operation.error_code in selectors.PRECONDITION_FAILED_CODES:
        return PublishConflict(operation)
    return ReviewRefused(f"Twilio refused the change: {operation.error_in_words}")


def _explained(outcome: publishing.PublishOutcome) -> publishing.PublishOutcome:
    """The outcome with Twilio's refusal in the words a single publish would use."""
    refusal = outcome.operation and _twilio_refusal(outcome.operation)
    return dataclasses.replace(outcome, error=str(refusal)) if refusal else outcome


def request_delete(*, trait_group: TraitGroup, actor, confirm_name: str) -> TraitGroupRevision:
    """A DELETE revision of the group, straight into review; the name must be typed to confirm."""
    if not actor.has_perm("traitgroups.edit_draft"):
        raise PermissionDenied("Only operators can ask for a trait group to be deleted.")
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
        workflow.transition(revision, State.IN_REVIEW, actor=actor)
        _start_round(revision, actor=actor)
        _record(
            "traitgroup.delete_requested",
            actor=actor,
            revision=revision,
            before=trait_group.live_definition,
        )
    return revision


def rebase_revision(
    *, revision: TraitGroupRevision, actor
) -> tuple[TraitGroupRevision, list[diff.Conflict]]:
    """Replays the revision's changes on the group as Twilio now holds it, and sends the
    result back to review; traits both sides changed are returned (and commented) as
    conflicts."""
    revision.refresh_from_db()
    _check("rebase", actor=actor, revision=revision)
    group = revision.trait_group
    try:
        fetched = memory_api_client().fetch_trait_group(group.store_id, group.name)
    except MemoryApiError as exc:
        raise ReviewRefused(
            f"Could not read the live group to rebase on: {exc.user_message}"
        ) from None
    with transaction.atomic():
        record = record_fetched_group(store_id=group.store_id, group=fetched)
        revision = _locked(revision)
        _check("rebase", actor=actor, revision=revision)
        before = revision.definition
        if revision.kind == TraitGroupRevision.Kind.DELETE:
            merged, conflicts = revision.definition, []
        else:
            merged, conflicts = diff.rebase(
                revision.base_definition, revision.definition, record.live_definition
            )
        revision.definition = merged
        revision.base_definition = record.live_definition
        revision.base_version = record.live_version
        revision.base_etag = record.live_etag
        revision.save(update_fields=["definition", "base_definition", "base_version", "base_etag"])
        if revision.state != State.IN_REVIEW:
            workflow.transition(revision, State.IN_REVIEW, actor=actor)
        _start_round(revision, actor=actor)
        note = f"Rebased on live version {record.live_version}."
        if conflicts:
            names = ", ".join(conflict.name for conflict in conflicts)
            note += (
                f" Both this revision and Twilio changed: {names}. "
                "This revision's version was kept; check them."
            )
        _add_comment(revision=revision, actor=actor, body=note)
        _record(
            "review.rebased",
            actor=actor,
            revision=revision,
            before=before,
            after=merged,
            detail=note,
        )
    return revision, conflicts
