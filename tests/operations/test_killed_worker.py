"""A worker killed mid-poll: its task and its lease are taken over within a few poll
intervals, not left for the five-minute sweep (issue 15, item 9)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from memadmin.operations import polling, tasks, workers
from memadmin.operations.models import Operation, WorkerHeartbeat

pytestmark = pytest.mark.django_db


def in_flight_operation() -> Operation:
    return Operation.objects.create(
        kind="create",
        method="POST",
        store_id="mem_store_00000000000000000000000000",
        trait_group_name="Loyalty",
        status=Operation.Status.PENDING,
        status_url="https://memory.twilio.com/v1/ControlPlane/Operations/op1",
        next_poll_at=timezone.now() - timedelta(seconds=1),
    )


def killed_mid_poll(operation: Operation, worker_id: str, *, last_beat_ago: float):
    """The state a SIGKILL leaves: the task RUNNING, the operation leased to the worker."""
    tasks.poll_operation.enqueue(operation.pk)
    result = DBTaskResult.objects.get()
    result.claim(worker_id)
    now = timezone.now()
    assert polling.claim(operation_id=operation.pk, now=now, worker_id=worker_id)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, beat_at=now - timedelta(seconds=last_beat_ago)
    )
    return result


def test_a_killed_workers_task_and_lease_are_taken_over_after_three_beats():
    operation = in_flight_operation()
    result = killed_mid_poll(operation, "worker-killed", last_beat_ago=3.5)
    assert polling.claim(operation_id=operation.pk, now=timezone.now()) is None  # leased

    assert workers.take_over_stale_claims(interval=1) == ["worker-killed"]

    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert polling.claim(operation_id=operation.pk, now=timezone.now()) is not None
    assert not WorkerHeartbeat.objects.exists()


def test_a_live_worker_busy_with_a_long_task_keeps_its_claims():
    operation = in_flight_operation()
    result = killed_mid_poll(operation, "worker-alive", last_beat_ago=0.5)

    assert workers.take_over_stale_claims(interval=1) == []

    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING
    assert polling.claim(operation_id=operation.pk, now=timezone.now()) is None


@pytest.mark.django_db(transaction=True)
def test_run_worker_runs_tasks_like_db_worker_and_leaves_no_heartbeat():
    tasks.poll_operation.enqueue(999_999)  # an operation that does not exist: skipped
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert not WorkerHeartbeat.objects.exists()
