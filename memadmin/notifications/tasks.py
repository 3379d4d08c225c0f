"""Background work: `deliver_notification` sends one outbox row when it is due.

One task per delivery, due at its `next_attempt_at`; a failure schedules the next try.
A task that finds its row already sent, not yet due or leased simply ends, so duplicate
tasks (a digest has one per held row) fade away. Tasks live in the same database as the
rows, so a schedule commits together with the event that caused it.
"""

from django.tasks import task


@task()
def deliver_notification(delivery_id: int) -> str:
    """Sends one delivery if it is due; returns how many rows it settled."""
    from memadmin.notifications.delivery import deliver

    return f"{len(deliver(delivery_id=delivery_id))} settled"


def schedule(delivery) -> None:
    """Enqueues the send of `delivery` for its `next_attempt_at`."""
    deliver_notification.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
