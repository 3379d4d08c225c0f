"""Writes to trait groups and their draft revisions; each records its own audit event."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from memadmin.audit import services as audit
from memadmin.memory_api import memory_api_client
from memadmin.memory_api.definitions import make_request_body
from memadmin.traitgroups import versions
from memadmin.traitgroups.models import (
    RevisionContribution,
    TraitGroup,
    TraitGroupRevision,
    TraitGroupVersion,
)

Source = TraitGroupVersion.Source
Contribution = RevisionContribution.Kind


class StaleDraft(Exception):
    """Someone saved the draft after this person opened it; their save would overwrite it."""

    def __init__(self, revision: TraitGroupRevision):
        super().__init__(
            f"Someone else saved this draft (now version {revision.lock_version}) "
            "after you opened it. Your changes are still in the form: copy what you need, "
            "reload the draft and apply them again."
        )
        self.revision = revision


class NotEditable(Exception):
    """The revision has been submitted for review and is frozen."""


def record_revision_event(action: str, *, actor, revision: TraitGroupRevision, **fields) -> None:
    """Appends the audit event of an action on `revision`, filed under its store, group and
    revision; `target` (default: the revision) and the event's other fields pass through."""
    fields.setdefault("target", revision)
    audit.record(
        action=action,
        actor=actor,
        store_id=revision.store_id,
        trait_group=revision.display_name,
        revision_id=revision.pk,
        **fields,
    )


def record_contribution(*, revision: TraitGroupRevision, user, kind: str) -> None:
    """Notes that `user` put content into `revision` (once per way of contributing)."""
    RevisionContribution.objects.get_or_create(revision=revision, user=user, kind=kind)


def create_draft(
    *,
    store_id: str,
    definition: dict,
    author,
    trait_group: TraitGroup | None = None,
    imported: bool = False,
) -> TraitGroupRevision:
    """A new draft revision: a new group when `trait_group` is None, else an update of it."""
    with transaction.atomic():
        revision = TraitGroupRevision.objects.create(
            store_id=store_id,
            trait_group=trait_group,
            kind=TraitGroupRevision.Kind.UPDATE if trait_group else TraitGroupRevision.Kind.CREATE,
            definition=definition,
            base_definition=trait_group.live_definition if trait_group else None,
            base_version=trait_group.live_version if trait_group else None,
            base_etag=trait_group.live_etag if trait_group else "",
            author=author,
        )
        record_contribution(revision=revision, user=author, kind=Contribution.AUTHORED)
        if imported:
            record_contribution(revision=revision, user=author, kind=Contribution.IMPORTED)
        record_revision_event(
            "traitgroup.draft_created",
            actor=author,
            revision=revision,
            before=revision.base_definition,
            after=definition,
        )
    return revision


def save_draft(
    *,
    revision: TraitGroupRevision,
    definition: dict,
    lock_version: int,
    actor,
    imported: bool = False,
) -> TraitGroupRevision:
    """Stores a new definition in a draft if nobody saved it since `lock_version`.

    Saving someone else's draft is allowed but makes the saver a co-author: reviewers
    see it, and four eyes keeps every contributor from approving it.
    """
    with transaction.atomic():
        current = TraitGroupRevision.objects.select_for_update().get(pk=revision.pk)
        if not current.is_editable:
            raise NotEditable(
                f"This revision is {current.get_state_display().lower()}; it cannot be edited."
            )
        if current.lock_version != lock_version:
            raise StaleDraft(current)
        before = current.definition
        current.definition = definition
        current.lock_version += 1
        current.updated_at = timezone.now()
        current.save(update_fields=["definition", "lock_version", "updated_at"])
        kind = Contribution.IMPORTED if imported else Contribution.SAVED
        record_contribution(revision=current, user=actor, kind=kind)
        record_revision_event(
            "traitgroup.draft_saved", actor=actor, revision=current, before=before, after=definition
        )
    return current


def start_edit(*, trait_group: TraitGroup, author) -> TraitGroupRevision:
    """A draft that updates a live group, starting from its live definition.

    An author's own open draft of the same group is reused, so that pressing Edit twice
    does not scatter their work over two drafts.
    """
    open_draft = (
        trait_group.revisions.filter(author=author, state__in=TraitGroupRevision.EDITABLE_STATES)
        .exclude(kind=TraitGroupRevision.Kind.DELETE)
        .order_by("-updated_at")
        .first()
    )
    if open_draft:
        return open_draft
    definition = make_request_body(
        display_name=trait_group.name, definition=trait_group.live_definition
    )
    return create_draft(
        store_id=trait_group.store_id, definition=definition, author=author, trait_group=trait_group
    )


def restore_draft(*, version: TraitGroupVersion, author) -> TraitGroupRevision:
    """A draft whose content is a recorded version and whose base is the group's live
    definition today; a create that re-creates the group when Twilio has deleted it.

    The caller fetches the group first, so that the base carries today's ETag.
    """
    group = version.trait_group
    definition = make_request_body(display_name=group.name, definition=version.definition)
    recreate = group.deleted_in_twilio
    with transaction.atomic():
        revision = TraitGroupRevision.objects.create(
            store_id=group.store_id,
            trait_group=group,
            kind=TraitGroupRevision.Kind.CREATE if recreate else TraitGroupRevision.Kind.UPDATE,
            definition=definition,
            base_definition=None if recreate else group.live_definition,
            base_version=None if recreate else group.live_version,
            base_etag="" if recreate else group.live_etag,
            author=author,
        )
        seen = timezone.localtime(version.seen_at).strftime("%Y-%m-%d %H:%M")
        record_revision_event(
            "traitgroup.restore_drafted",
            actor=author,
            revision=revision,
            before=revision.base_definition,
            after=definition,
            detail=(
                f"{'Re-creates' if recreate else 'Restores'} version "
                f"{version.version or '?'} of '{group.name}', live from {seen}."
            ),
        )
    return revision


def record_fetched_group(
    *, store_id: str, group, source: str = Source.SYNC, actor=None, revision=None
) -> TraitGroup:
    """Stores one group as just fetched from Twilio (definition, version and ETag).

    A new definition or version becomes a recorded version; `source` says whether it came
    from a publish (with who and which revision) or was found by reading Twilio.
    """
    state = versions.LiveState.of_group(group)
    return versions.record_one(
        store_id=store_id, state=state, source=source, actor=actor, revision=revision
    )


def fetch_group(*, store_id: str, name: str, max_age_seconds: float = 0) -> TraitGroup:
    """Fetches one group with its traits and ETag from Twilio and records it.

    With `max_age_seconds`, a record fetched (ETag and all) that recently is used as is:
    a page people reload must not cost a Twilio round trip and a write every time.
    """
    if max_age_seconds:
        recent = timezone.now() - timedelta(seconds=max_age_seconds)
        known = TraitGroup.objects.filter(
            store_id=store_id, name=name, deleted_in_twilio=False, live_synced_at__gte=recent
        ).exclude(live_etag="")
        if record := known.first():
            return record
    group = memory_api_client().fetch_trait_group(store_id, name)
    return record_fetched_group(store_id=store_id, group=group)
