"""Writes for stores: pulling live trait groups from Twilio, noticing drift, picking a store."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from memadmin.audit import services as audit
from memadmin.catalog import services as catalog
from memadmin.memory_api import MemoryApiClient, MemoryApiError, Store, memory_api_client
from memadmin.notifications import services as notifications
from memadmin.stores import selectors
from memadmin.stores.models import DriftDetection, SyncRun
from memadmin.traitgroups import versions
from memadmin.traitgroups.models import TraitGroup, TraitGroupVersion
from memadmin.traitgroups.versions import LiveState

logger = logging.getLogger(__name__)

# The Memory API returns at most 50 groups a page; asking for that many keeps requests few.
SYNC_PAGE_SIZE = 50
# A run still "active" after this long lost its worker; a new Sync now may start.
STALE_RUN_AFTER = timedelta(minutes=15)
SESSION_KEY = "stores.selected"
Source = TraitGroupVersion.Source


@dataclass
class SyncReport:
    """What one sync found: counts for the page, names for the audit log."""

    store_id: str
    run_id: int | None = None
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def sync_store(
    *,
    store_id: str,
    client: MemoryApiClient | None = None,
    actor=None,
    run: SyncRun | None = None,
    trigger: str = SyncRun.Trigger.COMMAND,
) -> SyncReport:
    """Pulls every trait group of a store (all pages, with traits) into live snapshots.

    The whole list is read (within the client's paging bounds) before anything is
    written, so a listing that fails or never ends records nothing; groups Twilio no
    longer lists are flagged `deleted_in_twilio` only then.
    """
    client = client or memory_api_client()
    if run is None:
        run = SyncRun.objects.create(store_id=store_id, trigger=trigger, requested_by=actor)
    run.state, run.started_at = SyncRun.State.RUNNING, timezone.now()
    run.save(update_fields=["state", "started_at"])
    report = SyncReport(store_id=store_id, run_id=run.pk)
    known = {group.name: group for group in TraitGroup.objects.filter(store_id=store_id)}
    seen: set[str] = set()
    batch: list = []
    try:
        listed = list(
            client.iter_trait_groups(store_id, include_traits=True, page_size=SYNC_PAGE_SIZE)
        )
    except MemoryApiError as exc:
        return _failed(run, report, exc, actor=actor)
    for live in listed:
        batch.append(live)
        if len(batch) == SYNC_PAGE_SIZE:
            _record_page(batch, store_id=store_id, known=known, seen=seen, report=report)
            _progress(run, report)
            batch = []
    _record_page(batch, store_id=store_id, known=known, seen=seen, report=report)
    report.deleted = _flag_deleted(store_id=store_id, known=known, seen=seen)
    catalog.sync_data_mappings(store_id=store_id, client=client)
    for name in sorted(seen):
        group = known[name]
        if group.published_definition is not None and detect_drift(trait_group=group):
            report.drifted.append(name)
    _finish(run, report)
    if actor is not None or report.created or report.updated or report.deleted:
        audit.record(
            action="store.synced",
            actor=actor,
            store_id=store_id,
            detail=(
                f"{report.seen} groups: {report.created} new, {report.updated} changed, "
                f"{len(report.deleted)} deleted in Twilio, {len(report.drifted)} drifted"
            ),
        )
    return report


def _record_page(batch, *, store_id: str, known: dict, seen: set, report: SyncReport) -> None:
    """Writes one page of live groups (and their new versions) with a few bulk queries."""
    states = [LiveState.of_group(live) for live in batch]
    seen.update(state.name for state in states)
    recorded = versions.record_live(
        store_id=store_id, states=states, source=Source.SYNC, known=known
    )
    report.seen += len(batch)
    report.created += len(recorded.created)
    report.updated += len(recorded.changed)
    report.unchanged += len(recorded.unchanged)


def _flag_deleted(*, store_id: str, known: dict, seen: set) -> list[str]:
    gone = sorted(
        name for name, group in known.items() if name not in seen and not group.deleted_in_twilio
    )
    if gone:
        versions.record_live(
            store_id=store_id,
            states=[LiveState.deleted(name) for name in gone],
            source=Source.SYNC,
            known=known,
        )
    for name in gone:
        notifications.notify(notifications.Kind.DELETED_IN_TWILIO, trait_group=known[name])
    return gone


def _progress(run: SyncRun, report: SyncReport) -> None:
    run.pages += 1
    run.groups_seen = report.seen
    run.save(update_fields=["pages", "groups_seen"])


def _finish(run: SyncRun, report: SyncReport) -> None:
    run.state, run.finished_at = SyncRun.State.SUCCEEDED, timezone.now()
    run.pages += 1
    run.groups_seen, run.groups_created = report.seen, report.created
    run.groups_updated, run.groups_deleted = report.updated, len(report.deleted)
    run.groups_drifted = len(report.drifted)
    run.save()


def _failed(run: SyncRun, report: SyncReport, exc: MemoryApiError, *, actor) -> SyncReport:
    report.error = exc.user_message
    run.state, run.finished_at, run.error = SyncRun.State.FAILED, timezone.now(), exc.user_message
    run.groups_seen = report.seen
    run.save()
    audit.record(
        action="store.sync_failed",
        actor=actor,
        store_id=run.store_id,
        outcome="failure",
        api_status=exc.status,
        twilio_code=exc.code,
        detail=exc.user_message,
    )
    return report


def detect_drift(*, trait_group: TraitGroup) -> bool:
    """Whether the group drifted; records `traitgroup.drift_detected` once per live version."""
    if trait_group.deleted_in_twilio or not selectors.is_drifted(
        live=trait_group.live_definition, published=trait_group.published_definition
    ):
        return False
    try:
        with transaction.atomic():
            _, created = DriftDetection.objects.get_or_create(
                store_id=trait_group.store_id,
                name=trait_group.name,
                live_version=trait_group.live_version or 0,
            )
    except IntegrityError:  # a concurrent sync recorded the same version first
        created = False
    if created:
        audit.record(
            action="traitgroup.drift_detected",
            target=trait_group,
            store_id=trait_group.store_id,
            trait_group=trait_group.name,
            before=trait_group.published_definition,
            after=trait_group.live_definition,
            detail=(
                f"Version {trait_group.live_version} in Twilio differs from what memadmin "
                "last published: it was changed outside memadmin."
            ),
        )
        notifications.notify(notifications.Kind.DRIFT_DETECTED, trait_group=trait_group)
    return True


def start_sync(*, store_id: str, actor=None, trigger: str = SyncRun.Trigger.MANUAL) -> SyncRun:
    """Queues a background sync of a store, or returns the one already queued or running."""
    from memadmin.stores.tasks import sync_store_task

    active = (
        SyncRun.objects.filter(
            store_id=store_id,
            state__in=SyncRun.ACTIVE_STATES,
            created_at__gte=timezone.now() - STALE_RUN_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if active is not None:
        return active
    run = SyncRun.objects.create(store_id=store_id, trigger=trigger, requested_by=actor)
    sync_store_task.enqueue(run.pk)
    return run


def select_store(*, session, store: Store) -> dict:
    """Remembers the picked store in the session, with what the layout shows of it."""
    selected = {"id": store.id, "display_name": store.display_name, "status": store.status}
    session[SESSION_KEY] = selected
    return selected


def select_store_by_id(*, session, store_id: str) -> dict:
    """Selects the store whose list was opened, from what memadmin already knows of it.

    Opening a page must not wait for Twilio, so the name comes from the cached store
    list; without it the id stands in until the stores page is next visited.
    """
    selected = session.get(SESSION_KEY)
    named = selected and selected.get("display_name") != store_id
    if selected and selected.get("id") == store_id and named:
        return selected
    store = selectors.cached_store(store_id)
    if store is None:
        # One ListStores call, cached for a minute, is worth a name instead of a TTID;
        # when Twilio cannot answer, the id stands in and the next page tries again.
        try:
            store = selectors.store_by_id(store_id)
        except MemoryApiError:
            store = None
    if store is None:
        selected = {"id": store_id, "display_name": store_id, "status": ""}
        session[SESSION_KEY] = selected
        return selected
    return select_store(session=session, store=store)


def ensure_synced_once(*, store_id: str, actor=None) -> SyncRun | None:
    """Queues a first background sync of a store memadmin never synced; else its latest run.

    The group list calls this instead of Twilio: syncing never blocks a page.
    """
    latest = selectors.latest_sync(store_id)
    if latest is not None:
        return latest
    return start_sync(store_id=store_id, actor=actor, trigger=SyncRun.Trigger.FIRST_VISIT)
