"""What a finished operation means for trait groups: the live snapshot and the revision.

`memadmin.operations` sits below this app and knows nothing of revisions; it announces
`operation_finished` / `operation_retrying`, and these receivers (connected in
`TraitGroupsConfig.ready`) do the trait-group side.
"""

import logging

from django.dispatch import receiver
from django.utils import timezone

from memadmin.audit import services as audit
from memadmin.memory_api.client import memory_api_client
from memadmin.memory_api.errors import MemoryApiError
from memadmin.notifications import services as notifications
from memadmin.operations.models import Operation
from memadmin.operations.signals import operation_finished, operation_retrying
from memadmin.traitgroups import versions
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion
from memadmin.traitgroups.services import record_fetched_group

logger = logging.getLogger(__name__)

State = TraitGroupRevision.State
Source = TraitGroupVersion.Source
# "412 when If-Match does not match"; Twilio's code for it is 20412.
PRECONDITION_FAILED_CODES = frozenset({412, 20412})


@receiver(operation_finished, dispatch_uid="traitgroups.operation_finished")
def on_operation_finished(sender, operation: Operation, **kwargs) -> None:
    """COMPLETED publishes the revision and refreshes the live snapshot; anything else fails it."""
    revision = operation.revision
    if revision is None:
        return
    if operation.status == Operation.Status.COMPLETED:
        _published(operation, revision)
    else:
        _failed(operation, revision)


@receiver(operation_retrying, dispatch_uid="traitgroups.operation_retrying")
def on_operation_retrying(sender, operation: Operation, **kwargs) -> None:
    """A refused submission goes out again: its revision is publishing once more."""
    if operation.revision_id is not None:
        TraitGroupRevision.objects.filter(
            pk=operation.revision_id, state__in=[State.FAILED, State.PUBLISHING]
        ).update(state=State.PUBLISHING)


def _published(operation: Operation, revision: TraitGroupRevision) -> None:
    now = timezone.now()
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
    TraitGroupRevision.objects.filter(pk=revision.pk).update(
        state=State.PUBLISHED,
        published_at=operation.completed_at or now,
        trait_group=revision.trait_group or group,
    )
    audit.record(
        action=action,
        actor=operation.actor,
        target=revision,
        store_id=operation.store_id,
        trait_group=operation.trait_group_name,
        revision_id=revision.pk,
        after=group.live_definition,
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
    changed_since = operation.error_code in PRECONDITION_FAILED_CODES
    # A 412 means the group changed in Twilio meanwhile: the revision goes back for rework.
    state = State.CHANGES_REQUESTED if changed_since else State.FAILED
    TraitGroupRevision.objects.filter(pk=revision.pk).exclude(state=State.PUBLISHED).update(
        state=state
    )
    detail = operation.error_in_words
    if changed_since:
        detail = (
            f"'{operation.trait_group_name}' changed in Twilio since this revision was "
            f"prepared; bring it up to date and submit it again. ({detail})"
        )
    audit.record(
        action="traitgroup.publish_failed",
        actor=operation.actor,
        target=revision,
        store_id=operation.store_id,
        trait_group=operation.trait_group_name,
        revision_id=revision.pk,
        outcome="failure",
        twilio_code=operation.error_code,
        detail=detail,
    )
    notifications.notify(notifications.Kind.PUBLISH_FAILED, revision=revision, operation=operation)
