"""The periodic sync is one self-renewing chain of tasks that never multiplies."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from memadmin.stores.models import SyncRun, SyncSchedule
from memadmin.stores.scheduling import run_scheduled_sync, start_schedule
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import PRODUCTION, SANDBOX

pytestmark = pytest.mark.django_db


def scheduled_tasks():
    return DBTaskResult.objects.filter(task_path="memadmin.stores.tasks.scheduled_sync")


def test_starting_the_schedule_twice_enqueues_one_task(instant_emulator):
    call_command("sync_stores", "--schedule", "--interval", "600")
    start_schedule()

    assert scheduled_tasks().count() == 1
    assert SyncSchedule.objects.get().interval_seconds == 600


def test_a_tick_syncs_every_store_and_enqueues_the_next_tick(instant_emulator):
    schedule = start_schedule(interval_seconds=600)
    started = timezone.now()

    reports = run_scheduled_sync(due_at=schedule.next_run_at.isoformat())

    assert {report.store_id for report in reports} == {SANDBOX, PRODUCTION}
    assert TraitGroup.objects.filter(name="Contact").count() == 2
    assert set(SyncRun.objects.values_list("trigger", flat=True)) == {"scheduled"}
    schedule.refresh_from_db()
    assert schedule.next_run_at >= started + timedelta(seconds=600)
    follow_up = scheduled_tasks().order_by("-enqueued_at").first()
    assert follow_up.run_after == schedule.next_run_at
    assert scheduled_tasks().count() == 2


def test_a_duplicate_tick_does_nothing(instant_emulator):
    schedule = start_schedule()
    run_scheduled_sync(due_at=schedule.next_run_at.isoformat())

    assert run_scheduled_sync(due_at=schedule.next_run_at.isoformat()) == []  # already moved on
    assert scheduled_tasks().count() == 2


# The worker closes its database connection between tasks, as a real one would;
# inside a test transaction that would close the test's own connection.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_first_tick(instant_emulator):
    start_schedule()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert TraitGroup.objects.filter(store_id=SANDBOX, name="Contact").exists()


def test_the_command_syncs_every_store_now(instant_emulator, capsys):
    call_command("sync_stores")

    assert f"{SANDBOX}: 1 groups (1 new" in capsys.readouterr().out
    assert TraitGroup.objects.count() == 2
