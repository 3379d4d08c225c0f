"""Background work: a store's sync on demand, and the periodic sync of every store."""

from django.tasks import task


@task()
def sync_store_task(run_id: int) -> str:
    """Runs one queued `SyncRun`; a run already picked up by another worker is skipped."""
    from memadmin.stores.models import SyncRun
    from memadmin.stores.services import sync_store

    claimed = SyncRun.objects.filter(pk=run_id, state=SyncRun.State.QUEUED).update(
        state=SyncRun.State.RUNNING
    )
    if not claimed:
        return "skipped"
    run = SyncRun.objects.get(pk=run_id)
    report = sync_store(store_id=run.store_id, actor=run.requested_by, run=run)
    return "ok" if report.ok else report.error


@task()
def scheduled_sync(due_at: str) -> int:
    """One tick of the periodic sync; returns how many stores it synced."""
    from memadmin.stores.scheduling import run_scheduled_sync

    return len(run_scheduled_sync(due_at=due_at))
