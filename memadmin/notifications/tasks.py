"""Background work: `deliver_notification` sends one outbox row when it is due.

One task per delivery, due at its `next_attempt_at`; a failure schedules the next try.
A task that finds its row already sent, not yet due or leased simply ends, so duplicate
tasks (a digest has one per held row) fade away. Tasks live in the same database as the
rows, so a schedule commits together with the event that caused it.
"""

from datetime import timedelta

from django.tasks import TaskResultStatus, task
from django.utils import timezone


@task()
def deliver_notification(delivery_id: int) -> str:
    """Sends one delivery if it is due; returns how many rows it settled."""
    from memadmin.notifications.delivery import deliver

    return f"{len(deliver(delivery_id=delivery_id))} settled"


def schedule(delivery) -> None:
    """Enqueues the send of `delivery` for its `next_attempt_at`."""
    deliver_notification.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


# A worker that dies mid-send leaves its row SENDING with no task left to finish it;
# this sweep picks such rows up once their lease ends, and anything else overdue.
SWEEP_EVERY = timedelta(minutes=5)


@task()
def sweep_notifications() -> str:
    """Sends every overdue delivery, then queues the next sweep unless one is queued."""
    from memadmin.notifications.delivery import deliver_due

    settled = deliver_due()
    schedule_sweep()
    return f"{settled} settled"


def schedule_sweep() -> bool:
    """Queues the next sweep in SWEEP_EVERY, unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        task_path=f"{__name__}.sweep_notifications", status=TaskResultStatus.READY
    )
    if queued.exists():
        return False
    sweep_notifications.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()
    return True
