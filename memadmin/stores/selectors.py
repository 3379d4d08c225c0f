"""Reads about stores: the account's stores, live snapshots, drift, sync runs, promotion."""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, TextField
from django.db.models.functions import Cast

from memadmin.audit.diff import Change
from memadmin.memory_api import MemoryApiClient, MemoryApiError, Store, memory_api_client
from memadmin.memory_api.definitions import is_same_definition
from memadmin.stores.models import DriftDetection, SyncRun, SyncSchedule
from memadmin.traitgroups.diff import definition_changes
from memadmin.traitgroups.models import TraitGroup

STORES_CACHE_KEY = "stores:stores"
STORES_CACHE_SECONDS = 60
# Names outlive the list: a page names a store from here without waiting for Twilio, long
# after the minute's list has expired; the next list replaces them.
STORE_NAMES_CACHE_KEY = "stores:names"
GROUPS_PER_PAGE = 50


def stores(*, client: MemoryApiClient | None = None, fresh: bool = False) -> list[Store]:
    """The account's stores from Twilio (ListStores, then FetchStore each), cached a minute."""
    cached = None if fresh else cache.get(STORES_CACHE_KEY)
    if cached is None:
        cached = (client or memory_api_client()).list_stores()
        cache.set(STORES_CACHE_KEY, cached, STORES_CACHE_SECONDS)
        names = {store.id: store.display_name for store in cached}
        cache.set(STORE_NAMES_CACHE_KEY, names, timeout=None)
    return cached


def store_by_id(store_id: str) -> Store | None:
    """One store of the account, from the cached list; None when Twilio does not list it."""
    return next((store for store in stores() if store.id == store_id), None)


def is_known_store(store_id: str) -> bool:
    """Whether memadmin may treat `store_id` as a store: the cached list names it, or it
    was synced before; when Twilio cannot be asked, a store known locally still counts."""
    if cached_store(store_id) is not None:
        return True
    try:
        if store_by_id(store_id) is not None:
            return True
    except MemoryApiError:
        pass
    return (
        latest_sync(store_id) is not None or TraitGroup.objects.filter(store_id=store_id).exists()
    )


def cached_store(store_id: str) -> Store | None:
    """One store from the cached list only: None when it is not cached (never calls Twilio)."""
    cached = cache.get(STORES_CACHE_KEY) or ()
    return next((store for store in cached if store.id == store_id), None)


def known_store_name(store_id: str) -> str | None:
    """The store's name as Twilio last listed it; None when no list has named it yet."""
    return (cache.get(STORE_NAMES_CACHE_KEY) or {}).get(store_id)


def local_counts() -> dict[str, dict]:
    """Per store: groups memadmin knows, how many were deleted in Twilio, last sync time."""
    rows = TraitGroup.objects.values("store_id").annotate(
        total=Count("pk", filter=Q(deleted_in_twilio=False)),
        deleted=Count("pk", filter=Q(deleted_in_twilio=True)),
        synced_at=Max("live_synced_at"),
    )
    return {row["store_id"]: row for row in rows}


def latest_sync(store_id: str) -> SyncRun | None:
    """The store's most recent sync run, whatever its state."""
    return SyncRun.objects.filter(store_id=store_id).order_by("-created_at", "-pk").first()


def last_successful_sync(store_id: str) -> SyncRun | None:
    """The store's most recent sync that completed."""
    return (
        SyncRun.objects.filter(store_id=store_id, state=SyncRun.State.SUCCEEDED)
        .order_by("-finished_at")
        .first()
    )


def is_drifted(*, live: dict | None, published: dict | None) -> bool:
    """True when memadmin published this group and Twilio now holds something else."""
    if live is None or published is None:
        return False
    return not is_same_definition(live, published)


@dataclass
class LiveGroupRow:
    """One row of a store's group list: a group's columns, and its two definitions as the
    JSON text stored, decoded only when the row is rendered. A table cached under its
    rows' content (stores.group_rows.rows_key) decodes none: decoding 50 definitions was
    most of reading the page's groups."""

    name: str
    live_version: int | None
    live_synced_at: datetime | None
    deleted_in_twilio: bool
    live_text: str | None
    published_text: str | None

    @cached_property
    def live_definition(self) -> dict | None:
        return _decoded(self.live_text)

    @cached_property
    def published_definition(self) -> dict | None:
        return _decoded(self.published_text)

    @property
    def trait_count(self) -> int:  # as TraitGroup.trait_count
        return len((self.live_definition or {}).get("traits") or {})

    @cached_property
    def drifted(self) -> bool:
        return not self.deleted_in_twilio and is_drifted(
            live=self.live_definition, published=self.published_definition
        )


def _decoded(text: str | None):
    """What the JSONField would have read from `text` (it has no decoder of its own)."""
    return None if text is None else json.loads(text)


def live_groups(store_id: str, search: str = "", page: int | str = 1) -> Page:
    """One page of a store's live snapshots, deleted ones included, as `LiveGroupRow`s."""
    groups = TraitGroup.objects.filter(store_id=store_id).order_by("deleted_in_twilio", "name")
    if search:
        groups = groups.filter(name__icontains=search.strip())
    rows = groups.values(
        "name",
        "live_version",
        "live_synced_at",
        "deleted_in_twilio",
        live_text=Cast("live_definition", TextField()),
        published_text=Cast("published_definition", TextField()),
    )
    result = Paginator(rows, GROUPS_PER_PAGE).get_page(page)
    result.object_list = [LiveGroupRow(**row) for row in result.object_list]
    return result


def drifted_groups(store_id: str) -> list[TraitGroup]:
    """The store's groups whose live definition differs from what memadmin published."""
    candidates = TraitGroup.objects.filter(
        store_id=store_id, deleted_in_twilio=False, published_definition__isnull=False
    ).order_by("name")
    return [
        group
        for group in candidates
        if is_drifted(live=group.live_definition, published=group.published_definition)
    ]


@dataclass(frozen=True)
class Drift:
    """A group's drift: what changed in Twilio since memadmin published it."""

    group: TraitGroup
    drifted: bool
    changes: list[Change]
    detection: DriftDetection | None


def drift_of(group: TraitGroup) -> Drift:
    """The changes from the published definition to the live one, and when memadmin noticed."""
    drifted = not group.deleted_in_twilio and is_drifted(
        live=group.live_definition, published=group.published_definition
    )
    detection = (
        DriftDetection.objects.filter(
            store_id=group.store_id, name=group.name, live_version=group.live_version or 0
        ).first()
        if drifted
        else None
    )
    changes = (
        definition_changes(group.published_definition, group.live_definition) if drifted else []
    )
    return Drift(group=group, drifted=drifted, changes=changes, detection=detection)


@dataclass(frozen=True)
class PromotionRow:
    """A source group next to what the target store has under the same name."""

    source: TraitGroup
    target: TraitGroup | None
    changes: list[Change]

    @property
    def status(self) -> str:
        if self.target is None or self.target.deleted_in_twilio:
            return "new"
        return "different" if self.changes else "identical"


def promotion_rows(
    *, source_store_id: str, target_store_id: str, search: str = "", page: int | str = 1
) -> Page:
    """One page of the source store's live groups, each diffed against the target's live."""
    groups = TraitGroup.objects.filter(
        store_id=source_store_id, deleted_in_twilio=False, live_definition__isnull=False
    ).order_by("name")
    if search:
        groups = groups.filter(name__icontains=search.strip())
    result = Paginator(groups, GROUPS_PER_PAGE).get_page(page)
    names = [group.name for group in result.object_list]
    targets = {
        group.name: group
        for group in TraitGroup.objects.filter(store_id=target_store_id, name__in=names)
    }
    rows = []
    for group in result.object_list:
        target = targets.get(group.name)
        live = target.live_definition if target and not target.deleted_in_twilio else None
        changes = definition_changes(live, group.live_definition)
        rows.append(PromotionRow(source=group, target=target, changes=changes))
    result.object_list = rows
    return result


def sync_schedule() -> SyncSchedule | None:
    """The periodic sync's state; None until `manage.py sync_stores --schedule` started it."""
    return SyncSchedule.objects.filter(pk=1).first()
