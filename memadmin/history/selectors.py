"""Reads over recorded versions: a group's history with what memadmin does not know,
and a whole store as it was at a moment."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from memadmin.memory_api.definitions import is_same_definition
from memadmin.traitgroups.diff import DefinitionDiff, diff_definitions
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion

Source = TraitGroupVersion.Source


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded version, with what memadmin can and cannot say about how it came."""

    version: TraitGroupVersion
    previous: TraitGroupVersion | None
    # memadmin's knowledge of the group starts with this version.
    is_first: bool
    # Versions that were live between `previous` and this one but memadmin never saw.
    unseen: tuple[int, int] | None
    outside: bool

    @property
    def how(self) -> str:
        if self.version.is_deletion:
            if self.version.source == Source.PUBLISH:
                return "Deleted through memadmin"
            return "Deleted outside memadmin (found by a sync)"
        if self.outside:
            return "Changed outside memadmin (found by a sync)"
        return self.version.get_source_display()


def list_versions(trait_group: TraitGroup) -> list[HistoryEntry]:
    """Every recorded version of a group, newest first, with the gaps between them named."""
    rows = list(
        TraitGroupVersion.objects.filter(trait_group=trait_group)
        .select_related("actor", "revision")
        .order_by("seen_at", "pk")
    )
    entries = []
    for index, row in enumerate(rows):
        previous = rows[index - 1] if index else None
        unseen = None
        if previous and previous.version and row.version and row.version - previous.version > 1:
            unseen = (previous.version + 1, row.version - 1)
        entries.append(
            HistoryEntry(
                version=row,
                previous=previous,
                is_first=index == 0,
                unseen=unseen,
                # The first sync only tells memadmin what was there, not that it changed.
                outside=row.source == Source.SYNC and index > 0,
            )
        )
    return entries[::-1]


@dataclass(frozen=True)
class GroupThen:
    """One group of a store at a moment, beside what it is today."""

    group: TraitGroup
    then: TraitGroupVersion | None
    first_seen_at: datetime | None

    @property
    def existed_then(self) -> bool:
        return self.then is not None and not self.then.is_deletion

    @property
    def now_definition(self) -> dict | None:
        return None if self.group.deleted_in_twilio else self.group.live_definition

    @property
    def status(self) -> str:
        if self.then is None:
            if self.first_seen_at is None:
                return "unknown"
            return "not yet known"
        if self.then.is_deletion:
            return "deleted then" if self.now_definition is None else "created since"
        if self.now_definition is None:
            return "deleted since"
        if is_same_definition(self.then.definition, self.now_definition):
            return "unchanged"
        return "changed since"

    @property
    def restorable(self) -> bool:
        return self.existed_then and self.status in ("changed since", "deleted since")

    @property
    def diff(self) -> DefinitionDiff | None:
        """What restoring would change: from today to then."""
        if not self.existed_then:
            return None
        return diff_definitions(self.now_definition, self.then.definition)


def get_store_as_of(store_id: str, at: datetime) -> list[GroupThen]:
    """Every group memadmin knows in a store, as recorded at `at`, in three queries."""
    versions = TraitGroupVersion.objects.filter(trait_group=OuterRef("pk"))
    groups = list(
        TraitGroup.objects.filter(store_id=store_id)
        .annotate(
            then_pk=Subquery(
                versions.filter(seen_at__lte=at).order_by("-seen_at", "-pk").values("pk")[:1]
            ),
            first_seen_at=Subquery(versions.order_by("seen_at", "pk").values("seen_at")[:1]),
        )
        .order_by("name")
    )
    then = TraitGroupVersion.objects.in_bulk([g.then_pk for g in groups if g.then_pk])
    return [GroupThen(g, then.get(g.then_pk), g.first_seen_at) for g in groups]


def find_knowledge_start(store_id: str) -> datetime | None:
    """When memadmin first recorded any version of any group of the store."""
    first = (
        TraitGroupVersion.objects.filter(trait_group__store_id=store_id)
        .order_by("seen_at")
        .values_list("seen_at", flat=True)
        .first()
    )
    return first


def find_open_restore(version: TraitGroupVersion) -> TraitGroupRevision | None:
    """The unpublished revision of the group that holds exactly `version`, if one is open:
    restoring the same version twice leads back to it rather than to a second draft."""
    State = TraitGroupRevision.State
    candidates = (
        TraitGroupRevision.objects.filter(trait_group_id=version.trait_group_id)
        .exclude(state__in=[State.PUBLISHED, State.WITHDRAWN, State.FAILED])
        .order_by("-pk")
    )
    for revision in candidates:
        if is_same_definition(revision.definition, version.definition):
            return revision
    return None


@dataclass(frozen=True)
class RestoredGroup:
    """What a batch restore did to one group, as its result page shows it."""

    name: str
    revision: TraitGroupRevision | None
    error: str


def list_restore_outcomes(recorded: list[dict]) -> list[RestoredGroup]:
    """Outcomes of a batch restore, rebuilt from what the session kept (one query)."""
    revisions = TraitGroupRevision.objects.in_bulk(
        [item["revision"] for item in recorded if item["revision"]]
    )
    return [
        RestoredGroup(item["name"], revisions.get(item["revision"]), item["error"])
        for item in recorded
    ]
