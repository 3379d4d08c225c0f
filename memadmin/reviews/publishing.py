"""Going live: publishing what reviewers approved (one revision or many at once), settling
the revision once Twilio has finished, and rebasing it on the live group after a 412.

Each write goes through the operations outbox: the Operation row is saved before the HTTP
call, so nothing is lost and nothing is sent twice. The revision is PUBLISHING while Twilio
works; `settle_revision` moves it on when the operation finishes (`receivers.py` calls it).
Refusals are exceptions as in `services`: `PermissionDenied`, `ReviewRefused` (a 412 is its
subclass `PublishConflict`, which offers the rebase) and `InvalidReviewInput`.
"""

import logging

from django.db import transaction

from memadmin.memory_api.client import memory_api_client
from memadmin.memory_api.definitions import minimal_patch, normalise_definition
from memadmin.memory_api.errors import PRECONDITION_FAILED_CODES, MemoryApiError
from memadmin.notifications import services as notifications
from memadmin.operations import bulk as operation_bulk
from memadmin.operations import services as operation_services
from memadmin.operations.models import Operation
from memadmin.reviews import selectors, steps, workflow
from memadmin.reviews.selectors import PublishOutcome
from memadmin.reviews.workflow import InvalidReviewInput, ReviewRefused
from memadmin.traitgroups import diff, versions
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion
from memadmin.traitgroups.services import (
    record_contribution,
    record_fetched_group,
    record_revision_event,
)

logger = logging.getLogger(__name__)

State = TraitGroupRevision.State
Source = TraitGroupVersion.Source
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
    operation = publish_revision(revision=revision, actor=actor)
    refusal = _twilio_refusal(operation)
    if refusal is not None:
        raise refusal
    return operation


def publish_revision(*, revision: TraitGroupRevision, actor, client=None) -> Operation:
    """Sends an APPROVED revision through the outbox, without the reviewers' checks that
    `publish` makes first; returns the Operation that tracks it."""
    operation = _prepare(revision, actor=actor)
    return operation_services.submit_operation(operation=operation, actor=actor, client=client)


def publish_many(*, revisions: list[TraitGroupRevision], actor) -> list[PublishOutcome]:
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
    outcomes: dict[int, PublishOutcome] = {}
    # Every check before any change: a PermissionDenied leaves nothing half prepared.
    for revision in revisions:
        try:
            _check_publishable(revision, actor=actor)
        except ReviewRefused as exc:
            outcomes[revision.pk] = PublishOutcome(revision, None, str(exc))
    prepared: list[Operation] = []
    for revision in [revision for revision in revisions if revision.pk not in outcomes]:
        try:
            prepared.append(_prepare(revision, actor=actor))
        except ReviewRefused as exc:
            outcomes[revision.pk] = PublishOutcome(revision, None, str(exc))
    for operation in operation_bulk.submit_many(operations=prepared, actor=actor):
        refusal = _twilio_refusal(operation)
        outcomes[operation.revision_id] = PublishOutcome(
            operation.revision, operation, str(refusal) if refusal else ""
        )
    return [outcomes[revision.pk] for revision in revisions]


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
    if operation.error_code in PRECONDITION_FAILED_CODES:
        return PublishConflict(operation)
    return ReviewRefused(f"Twilio refused the change: {operation.error_in_words}")


def _prepare(revision: TraitGroupRevision, *, actor) -> Operation:
    """Moves the revision APPROVED → PUBLISHING and saves the outbox row, together."""
    kind, name, body, if_match = _request_for(revision)
    with transaction.atomic():
        workflow.transition(revision, State.PUBLISHING, actor=actor)
        return operation_services.start_operation(
            kind=kind,
            store_id=revision.store_id,
            trait_group_name=name,
            body=body,
            if_match=if_match,
            revision=revision,
            actor=actor,
        )


def _request_for(revision: TraitGroupRevision) -> tuple[str, str, dict | None, str]:
    """(kind, name, body, If-Match) of the one request a revision stands for."""
    Kind = TraitGroupRevision.Kind
    if revision.kind == Kind.CREATE:
        return Operation.Kind.CREATE, revision.display_name, revision.definition, ""
    group = revision.trait_group
    if group is None:
        raise ReviewRefused("This revision names no existing trait group to change.")
    # If-Match carries the version the reviewers saw: had Twilio changed since, the
    # answer is 412 and the revision goes back for a rebase, never a silent overwrite.
    if not revision.base_etag:
        raise ReviewRefused(
            f"memadmin does not know which version of '{group.name}' this revision was "
            "reviewed against (no ETag). Rebase it on the live definition and review it again."
        )
    if revision.kind == Kind.DELETE:
        return Operation.Kind.DELETE, group.name, None, revision.base_etag
    # The patch is what the reviewers approved: from the base they saw to the revision.
    body = minimal_patch(revision.base_definition or {}, revision.definition)
    if not body:
        raise ReviewRefused(f"Nothing to publish: this revision does not change '{group.name}'.")
    return Operation.Kind.UPDATE, group.name, body, revision.base_etag


def settle_revision(*, operation: Operation) -> None:
    """What a finished operation means for its revision: COMPLETED publishes it and refreshes
    the live snapshot; anything else fails it (a 412 sends it back for changes)."""
    revision = operation.revision
    if revision is None:
        return
    revision.refresh_from_db()
    if revision.state != State.PUBLISHING:
        # Settled already (or never sent by a publish): the table has no move from here.
        logger.warning("%s finished, but revision %s is %s", operation, revision.pk, revision.state)
        return
    if operation.status == Operation.Status.COMPLETED:
        _published(operation, revision)
    else:
        _failed(operation, revision)


def resume_publishing(*, operation: Operation) -> None:
    """A refused submission goes out again (Retry): its FAILED revision is publishing again."""
    revision = operation.revision
    if revision is None:
        return
    revision.refresh_from_db()
    if revision.state == State.FAILED:  # else a concurrent Retry has moved it already
        workflow.transition(revision, State.PUBLISHING, actor=operation.actor)


def _published(operation: Operation, revision: TraitGroupRevision) -> None:
    if operation.kind == Operation.Kind.DELETE:
        group = versions.record_one(
            store_id=operation.store_id,
            state=versions.LiveState.deleted(operation.trait_group_name),
            source=Source.PUBLISH,
            actor=operation.actor,
            revision=revision,
        )
        action = "traitgroup.deleted"
    else:
        group = _refresh_live(operation, revision)
        group.published_definition = revision.definition
        group.save(update_fields=["published_definition"])
        action = "traitgroup.published"
    with transaction.atomic():
        if revision.trait_group_id is None:  # a create: the group exists now
            revision.trait_group = group
            revision.save(update_fields=["trait_group"])
        workflow.transition(
            revision, State.PUBLISHED, actor=operation.actor, at=operation.completed_at
        )
        # Before is what the reviewers saw it replace (the ETag held Twilio to it), so the
        # event's diff is the published change, not the whole group as "added".
        # Both normalised, so the audit's diff is `diff.definition_changes(before, after)`.
        before = (
            None if revision.kind == TraitGroupRevision.Kind.CREATE else revision.base_definition
        )
        record_revision_event(
            action,
            actor=operation.actor,
            revision=revision,
            before=normalise_definition(before),
            after=normalise_definition(group.live_definition),
            detail=f"Operation {operation.operation_id or operation.pk} completed.",
        )
        notifications.notify(notifications.Kind.PUBLISHED, revision=revision, operation=operation)


def _refresh_live(operation: Operation, revision: TraitGroupRevision) -> TraitGroup:
    """The group as Twilio now holds it (definition, version, ETag), fetched by name."""
    try:
        fetched = memory_api_client().fetch_trait_group(
            operation.store_id, operation.trait_group_name
        )
    except MemoryApiError as exc:
        # Published all the same; the next store sync brings the snapshot up to date.
        logger.warning("Could not fetch %s after publishing: %s", operation, exc)
        group, _ = TraitGroup.objects.get_or_create(
            store_id=operation.store_id, name=operation.trait_group_name
        )
        return group
    return record_fetched_group(
        store_id=operation.store_id,
        group=fetched,
        source=Source.PUBLISH,
        actor=operation.actor,
        revision=revision,
    )


def _failed(operation: Operation, revision: TraitGroupRevision) -> None:
    detail = operation.error_in_words
    # A 412 means the group changed in Twilio meanwhile: the revision goes back for rework.
    if operation.error_code in PRECONDITION_FAILED_CODES:
        state, detail = State.CHANGES_REQUESTED, f"{PublishConflict(operation)} ({detail})"
    else:
        state = State.FAILED
    with transaction.atomic():
        workflow.transition(revision, state, actor=operation.actor)
        record_revision_event(
            "traitgroup.publish_failed",
            actor=operation.actor,
            revision=revision,
            outcome="failure",
            twilio_code=operation.error_code,
            detail=detail,
        )
        notifications.notify(
            notifications.Kind.PUBLISH_FAILED, revision=revision, operation=operation
        )


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
        # An in-review revision stays in review: the new round below is the whole change.
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
        record_revision_event(
            "review.rebased",
            actor=actor,
            revision=revision,
            before=before,
            after=merged,
            detail=note,
        )
        notifications.notify(notifications.Kind.REVIEW_REQUESTED, actor=actor, revision=revision)
    return revision, conflicts
