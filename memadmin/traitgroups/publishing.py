"""Publishing approved revisions to Twilio: one, many at once, or a retry.

Each write goes through the operations outbox (`memadmin.operations.services`): the
Operation row is saved before the HTTP call, so nothing is lost and nothing is sent
twice. The revision is PUBLISHING while Twilio works; `receivers.py` settles it.
"""

from dataclasses import dataclass

from django.db.models import F

from memadmin.memory_api.definitions import minimal_patch
from memadmin.operations import bulk as operation_bulk
from memadmin.operations import services as operation_services
from memadmin.operations.models import Operation
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State


class PublishRefused(Exception):
    """The revision cannot be published as it stands; the message says why."""


@dataclass(frozen=True)
class PublishOutcome:
    """What happened to one revision of a `publish_many` call."""

    revision: TraitGroupRevision
    operation: Operation | None
    error: str = ""


def publish_revision(*, revision: TraitGroupRevision, actor, client=None) -> Operation:
    """Sends an approved revision to Twilio and returns the Operation that tracks it."""
    operation = _prepare(revision=revision, actor=actor)
    return operation_services.submit_operation(operation=operation, actor=actor, client=client)


def retry_operation(*, operation: Operation, actor, client=None) -> Operation:
    """Sends a submission Twilio refused for a passing reason (503, 429) again, once."""
    return operation_services.retry_submission(operation=operation, actor=actor, client=client)


def publish_many(
    *, revisions: list[TraitGroupRevision], actor, client=None, concurrency: int | None = None
) -> list[PublishOutcome]:
    """Publishes many approved revisions in one bulk submission; one outcome per revision."""
    outcomes: dict[int, PublishOutcome] = {}
    prepared: list[Operation] = []
    for revision in revisions:
        try:
            prepared.append(_prepare(revision=revision, actor=actor))
        except PublishRefused as exc:
            outcomes[revision.pk] = PublishOutcome(revision, None, str(exc))
    submitted = operation_bulk.submit_many(
        operations=prepared, actor=actor, client=client, concurrency=concurrency
    )
    for operation in submitted:
        error = operation.error_in_words if operation.status == Operation.Status.FAILED else ""
        outcomes[operation.revision_id] = PublishOutcome(operation.revision, operation, error)
    return [outcomes[revision.pk] for revision in revisions]


def _prepare(*, revision: TraitGroupRevision, actor) -> Operation:
    """Builds the request, moves the revision APPROVED → PUBLISHING, saves the outbox row."""
    kind, name, body, if_match = _request_for(revision)
    claimed = TraitGroupRevision.objects.filter(pk=revision.pk, state=State.APPROVED).update(
        state=State.PUBLISHING, lock_version=F("lock_version") + 1
    )
    if not claimed:
        raise PublishRefused(
            f"Only an approved revision can be published; revision {revision.pk} is "
            f"{revision.get_state_display().lower()}."
        )
    revision.refresh_from_db()
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
    if revision.state != State.APPROVED:
        raise PublishRefused(
            f"Only an approved revision can be published; revision {revision.pk} is "
            f"{revision.get_state_display().lower()}."
        )
    if revision.kind == Kind.CREATE:
        return Operation.Kind.CREATE, revision.display_name, revision.definition, ""
    group = revision.trait_group
    if group is None:
        raise PublishRefused("This revision names no existing trait group to change.")
    # If-Match carries the version the reviewers saw: had Twilio changed since, the
    # answer is 412 and the revision goes back for a rebase, never a silent overwrite.
    if not revision.base_etag:
        raise PublishRefused(
            f"memadmin does not know which version of '{group.name}' this revision was "
            "reviewed against (no ETag). Rebase it on the live definition and review it again."
        )
    if revision.kind == Kind.DELETE:
        return Operation.Kind.DELETE, group.name, None, revision.base_etag
    # The patch is what the reviewers approved: from the base they saw to the revision.
    body = minimal_patch(revision.base_definition or {}, revision.definition)
    if not body:
        raise PublishRefused(f"Nothing to publish: this revision does not change '{group.name}'.")
    return Operation.Kind.UPDATE, group.name, body, revision.base_etag
