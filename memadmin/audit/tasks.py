"""The hourly checkpoint: one queued task at a time, each queuing the next when it runs.

Checkpoints also come every AUDIT_CHECKPOINT_EVERY_EVENTS events as they are appended;
this task makes sure a quiet log is still signed at least every
AUDIT_CHECKPOINT_MAX_AGE_SECONDS, so a tail cut off later is caught.
"""

from datetime import timedelta

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone


@task()
def checkpoint_periodically() -> str:
    """Signs the chain's head if it moved since the last checkpoint, then queues the next run."""
    from memadmin.audit.services import checkpoint_head

    checkpoint = checkpoint_head()
    schedule_checkpoint()
    return f"checkpoint {checkpoint.pk}" if checkpoint else "head already covered"


def schedule_checkpoint() -> bool:
    """Queues the next run unless one is already queued; returns whether it queued one."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        task_path=f"{__name__}.checkpoint_periodically", status=TaskResultStatus.READY
    )
    if queued.exists():
        return False
    due = timezone.now() + timedelta(seconds=settings.AUDIT_CHECKPOINT_MAX_AGE_SECONDS)
    checkpoint_periodically.using(run_after=due).enqueue()
    return True
