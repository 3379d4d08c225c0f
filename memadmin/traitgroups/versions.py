"""The one writer of a trait group's live columns, and so of its version history.

Every piece of news about what Twilio holds — a store sync, a fetch of one group, a
publish or a delete finishing — goes through `record_live`. It updates the group's
live snapshot and, exactly when the definition or Twilio's version number changed,
appends a `TraitGroupVersion`: each version is recorded once, whoever saw it first.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from memadmin import memory_api
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion
from memadmin.traitgroups.selectors import forget_taken_group_names

Source = TraitGroupVersion.Source

_LIVE_COLUMNS = [
    "live_definition",
    "live_version",
    "live_etag",
    "live_synced_at",
    "deleted_in_twilio",
]


@dataclass(frozen=True)
class LiveState:
    """What Twilio holds for one group; `definition` None means the group is gone.

    `etag` None means "not told" (a listing carries none): a known ETag is kept while
    the version stays the same, and dropped when it moves.
    """

    name: str
    definition: dict | None
    version: int | None
    etag: str | None = None

    @classmethod
    def of_group(cls, group: memory_api.TraitGroup) -> "LiveState":
        """What a listed or fetched group says (`group.to_request_body()` is its definition)."""
        return cls(
            name=group.display_name,
            definition=group.to_request_body(),
            version=group.version,
            etag=group.etag,
        )

    @classmethod
    def deleted(cls, name: str) -> "LiveState":
        return cls(name=name, definition=None, version=None, etag="")

    @property
    def is_deletion(self) -> bool:
        return self.definition is None


@dataclass
class Recorded:
    """What `record_live` did, group by group, for counts and audit lines."""

    created: list[TraitGroup] = field(default_factory=list)
    changed: list[TraitGroup] = field(default_factory=list)
    unchanged: list[TraitGroup] = field(default_factory=list)
    versions: list[TraitGroupVersion] = field(default_factory=list)

    def group(self, name: str) -> TraitGroup:
        for group in (*self.created, *self.changed, *self.unchanged):
            if group.name == name:
                return group
        raise KeyError(name)


def record_live(
    *,
    store_id: str,
    states: list[LiveState],
    source: str,
    known: dict[str, TraitGroup] | None = None,
    actor=None,
    revision: TraitGroupRevision | None = None,
    seen_at: datetime | None = None,
) -> Recorded:
    """Stores what Twilio holds for some groups of a store; records each new version.

    `known` maps names to the store's group rows when the caller already loaded them
    (a sync does, page after page); missing ones are read or created. A few bulk queries
    whatever the number of groups.
    """
    now = seen_at or timezone.now()
    if known is None:
        names = [state.name for state in states]
        known = {g.name: g for g in TraitGroup.objects.filter(store_id=store_id, name__in=names)}
    recorded = Recorded()
    touched: list[TraitGroup] = []
    for state in states:
        group = known.get(state.name)
        if group is None:
            group = TraitGroup(store_id=store_id, name=state.name)
            known[state.name] = group
            recorded.created.append(group)
        elif _same_version(group, state):
            recorded.unchanged.append(group)
            group.live_synced_at = now
            if state.etag is not None and state.etag != group.live_etag:
                group.live_etag = state.etag
                touched.append(group)
            continue
        else:
            recorded.changed.append(group)
        if state.etag is not None:
            group.live_etag = state.etag
        elif group.live_version != state.version:
            group.live_etag = ""  # an ETag of an older version would only earn a 412
        group.live_definition, group.live_version = state.definition, state.version
        group.live_synced_at, group.deleted_in_twilio = now, state.is_deletion
    with transaction.atomic():
        # A concurrent writer (a sync, a page view) may have created the row meanwhile:
        # it is kept, and the update below writes this news over it, as `get_or_create` did.
        TraitGroup.objects.bulk_create(recorded.created, ignore_conflicts=True)
        _fill_ids(store_id, recorded.created)
        TraitGroup.objects.bulk_update(
            [*recorded.created, *recorded.changed, *touched], _LIVE_COLUMNS
        )
        quiet = [g.pk for g in recorded.unchanged if g not in touched]
        TraitGroup.objects.filter(pk__in=quiet).update(live_synced_at=now)
        # A group memadmin first hears of as deleted has no version to remember.
        fresh = [g for g in recorded.created if not g.deleted_in_twilio]
        recorded.versions = _new_versions(
            [*fresh, *recorded.changed],
            source=source,
            actor=actor,
            revision=revision,
            seen_at=now,
        )
        if source == Source.PUBLISH:
            _claim_published(recorded.unchanged, actor=actor, revision=revision)
    if recorded.created or recorded.changed:
        forget_taken_group_names(store_id)  # a group came or went: names taken changed
    return recorded


def record_one(
    *, store_id: str, state: LiveState, source: str, actor=None, revision=None
) -> TraitGroup:
    """`record_live` for one group; returns its row."""
    recorded = record_live(
        store_id=store_id, states=[state], source=source, actor=actor, revision=revision
    )
    return recorded.group(state.name)


def _same_version(group: TraitGroup, state: LiveState) -> bool:
    if state.is_deletion:
        return group.deleted_in_twilio
    return (
        not group.deleted_in_twilio
        and group.live_version == state.version
        and group.live_definition == state.definition
    )


def _fill_ids(store_id: str, created: list[TraitGroup]) -> None:
    """bulk_create sets no ids when it ignores conflicts: read them back, one query."""
    if not created:
        return
    ids = dict(
        TraitGroup.objects.filter(
            store_id=store_id, name__in=[g.name for g in created]
        ).values_list("name", "pk")
    )
    for group in created:
        group.pk = ids[group.name]


def _new_versions(groups, *, source, actor, revision, seen_at) -> list[TraitGroupVersion]:
    rows = [
        TraitGroupVersion(
            trait_group=group,
            version=group.live_version,
            definition=group.live_definition,
            source=source,
            actor=actor,
            revision=revision if source == Source.PUBLISH else None,
            seen_at=seen_at,
        )
        for group in groups
    ]
    return TraitGroupVersion.objects.bulk_create(rows)


def _claim_published(groups: list[TraitGroup], *, actor, revision) -> None:
    """A version someone's page view fetched before the publish finished is still the
    publish's: it keeps its time, and gains who published it and from which revision."""
    for group in groups:
        row = TraitGroupVersion.objects.filter(trait_group=group).order_by("-seen_at", "-pk")
        row = row.first()
        if (
            row is not None
            and row.source == Source.SYNC
            and row.version == group.live_version
            and row.definition == group.live_definition
        ):
            TraitGroupVersion.objects.filter(pk=row.pk).update(
                source=Source.PUBLISH, actor=actor, revision=revision
            )
