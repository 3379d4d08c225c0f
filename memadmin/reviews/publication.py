"""Going live: publishing what reviewers approved, one revision or many at once, and
rebasing a revision on the live group when Twilio refused it with 412.

Refusals are exceptions as in `services`: `PermissionDenied`, `ReviewRefused` (a 412 is
its subclass `PublishConflict`, which offers the rebase) and `InvalidReviewInput`.
"""

import dataclasses

from django.db import transaction

from memadmin.memory_api.client import memory_api_client
from memadmin.memory_api.errors import MemoryApiError
from memadmin.notifications import services as notifications
from memadmin.operations.models import Operation
from memadmin.reviews import selectors, steps, workflow
from memadmin.reviews.workflow import InvalidReviewInput, ReviewRefused
from memadmin.traitgroups import diff, publishing
from memadmin.traitgroups.models import TraitGroupRevision
from memadmin.traitgroups.services import record_contribution, record_fetched_group

State = TraitGroupRevision.State
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
    Someone who may not publish at all gets `PermissionDenied` for the whole batch.
    """
    revisions = list({revision.pk: revision for revision in revisions}.values())
    if len(revisions) > MAX_PUBLISHED_AT_ONCE:
        raise InvalidReviewInput(
            f"Publish at most {MAX_PUBLISHED_AT_ONCE} revisions at once; "
            f"{len(revisions)} were picked."
        )
    refused: dict[int, str] = {}
    for revision in revisions:
        try:
            _check_publishable(revision, actor=actor)
        except ReviewRefused as exc:
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
    steps.enforce("publish", actor=actor, revision=revision)
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


def rebase_revision(
    *, revision: TraitGroupRevision, actor
) -> tuple[TraitGroupRevision, list[diff.Conflict]]:
    """Replays the revision's changes on the group as Twilio now holds it, and sends the
    result back to review; traits both sides changed are returned (and commented) as
    conflicts."""
    revision.refresh_from_db()
    steps.enforce("rebase", actor=actor, revision=revision)
    group = revision.trait_group
    try:
        fetched = memory_api_client().fetch_trait_group(group.store_id, group.name)
    except MemoryApiError as exc:
        raise ReviewRefused(
            f"Could not read the live group to rebase on: {exc.user_message}"
        ) from None
    with transaction.atomic():
        record = record_fetched_group(store_id=group.store_id, group=fetched)
        revision = steps.locked(revision)
        steps.enforce("rebase", actor=actor, revision=revision)
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
        record_contribution(revision=revision, user=actor, kind="rebased")
        if revision.state != State.IN_REVIEW:
            workflow.transition(revision, State.IN_REVIEW, actor=actor)
        steps.start_round(revision, actor=actor)
        note = f"Rebased on live version {record.live_version}."
        if conflicts:
            names = ", ".join(conflict.name for conflict in conflicts)
            note += (
                f" Both this revision and Twilio changed: {names}. "
                "This revision's version was kept; check them."
            )
        steps.add_comment(revision=revision, actor=actor, body=note)
        steps.record(
            "review.rebased",
            actor=actor,
            revision=revision,
            before=before,
            after=merged,
            detail=note,
        )
        notifications.notify(notifications.Kind.REVIEW_REQUESTED, actor=actor, revision=revision)
    return revision, conflicts
