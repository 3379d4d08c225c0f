"""A background sweep settles what a dead web process left behind, without a restart."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from memadmin.emulator.embedded import get_embedded_emulator
from memadmin.operations import services
from memadmin.operations.models import Operation
from memadmin.operations.tasks import reconcile_periodically, schedule_reconcile

SWEEP = "memadmin.operations.tasks.reconcile_periodically"


def queued_sweeps():
    return DBTaskResult.objects.filter(task_path=SWEEP, status="READY")


@pytest.mark.django_db
def test_scheduling_twice_queues_one_sweep():
    assert schedule_reconcile() is True
    assert schedule_reconcile() is False
    call_command("reconcile_operations", "--schedule")
    assert queued_sweeps().count() == 1


@pytest.mark.django_db
def test_a_sweep_settles_an_operation_left_submitting_and_queues_the_next(settings):
    settings.EMULATOR_STEP_SECONDS = 0
    store_id = get_embedded_emulator().store_ids[0]
    # The web process saved the outbox row and died before sending it.
    operation = services.start_operation(
        kind="create",
        store_id=store_id,
        trait_group_name="Orphan",
        body={"displayName": "Orphan", "traits": {"tier": {"dataType": "STRING"}}},
    )
    Operation.objects.filter(pk=operation.pk).update(
        submitted_at=timezone.now() - timedelta(hours=1)
    )
    reconcile_periodically.call()

    operation.refresh_from_db()
    assert operation.status in Operation.IN_FLIGHT | Operation.TERMINAL - {"FAILED"}
    assert operation.operation_id  # Twilio accepted it: sent exactly once, by the sweep
    assert queued_sweeps().count() == 1
