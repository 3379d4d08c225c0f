"""Following statusUrls: polls, Retry-After, transient errors, leases, deadlines."""

from datetime import timedelta

import httpx
import pytest

from memadmin.memory_api import MemoryApiClient
from memadmin.operations import polling, reconcile, services
from memadmin.operations.models import Operation
from tests.fakes import API_PASSWORD, API_USERNAME, EMULATOR_URL, definition, drive

pytestmark = pytest.mark.django_db


def submitted(api, clock, store_id, name="Loyalty") -> Operation:
    operation = services.start_operation(
        kind="create", store_id=store_id, trait_group_name=name, body=definition(name)
    )
    return services.submit_operation(operation=operation, now=clock.now())


def test_an_operation_completes_after_several_polls(api, clock, store_id):
    operation = submitted(api, clock, store_id)
    assert operation.status == "PENDING"
    assert operation.status_url.startswith(EMULATOR_URL)

    operation = drive(operation, clock)

    assert operation.status == "COMPLETED"
    assert operation.poll_count == 2
    assert operation.completed_at is not None
    assert operation.result["url"].endswith("/TraitGroups/Loyalty")


def test_the_first_poll_waits_for_the_initial_retry_after(api, clock, store_id):
    operation = submitted(api, clock, store_id)
    assert operation.retry_after == 1
    assert operation.next_poll_at == clock.now() + timedelta(seconds=1)

    early = polling.poll(operation_id=operation.pk, now=clock.now())

    assert early is None  # not due yet: nothing was asked
    operation.refresh_from_db()
    assert operation.poll_count == 0


def test_each_poll_is_scheduled_after_twilios_retry_after(api, clocked_emulator, clock, store_id):
    clocked_emulator.step_seconds = 7
    operation = submitted(api, clock, store_id)
    assert operation.next_poll_at == clock.now() + timedelta(seconds=7)
    clock.advance(7)

    polling.poll(operation_id=operation.pk, now=clock.now())

    operation.refresh_from_db()
    assert operation.status == "RUNNING"
    assert operation.retry_after == 7
    assert operation.next_poll_at == clock.now() + timedelta(seconds=7)


def test_every_poll_enqueues_exactly_one_successor_task(api, clock, store_id):
    from django_tasks_db.models import DBTaskResult

    operation = submitted(api, clock, store_id)
    assert DBTaskResult.objects.count() == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "memadmin.operations.tasks.poll_operation"
    assert task.run_after == operation.next_poll_at

    clock.advance(1)
    polling.poll(operation_id=operation.pk, now=clock.now())
    polling.poll(operation_id=operation.pk, now=clock.now())  # not due again: skipped

    assert DBTaskResult.objects.count() == 2


@pytest.mark.parametrize("status", [429, 503])
def test_a_429_or_503_while_polling_does_not_lose_the_operation(
    make_api, monkeypatch, clocked_emulator, clock, store_id, status
):
    from memadmin.memory_api import client as client_module

    api = make_api(max_attempts=1)
    monkeypatch.setattr(client_module, "_client", api)
    operation = submitted(api, clock, store_id)
    clocked_emulator.faults.fail_next(2, status=status, retry_after=1)
    clock.advance(1)

    polling.poll(operation_id=operation.pk, now=clock.now())

    operation.refresh_from_db()
    assert operation.status == "PENDING"
    assert f"({'code 20429' if status == 429 else 'code 20503'})" in operation.last_poll_problem
    assert operation.next_poll_at > clock.now()
    assert drive(operation, clock).status == "COMPLETED"


def test_a_failed_operation_keeps_twilios_error_detail(api, clocked_emulator, clock, store_id):
    clocked_emulator.faults.fail_next_operation(detail="Trait 'tier' clashes with a reserved name.")
    operation = drive(submitted(api, clock, store_id), clock)

    assert operation.status == "FAILED"
    assert operation.error_code == 20500
    assert "Trait 'tier' clashes with a reserved name." in operation.error_in_words


def test_two_workers_never_poll_the_same_operation_at_once(api, clock, store_id):
    operation = submitted(api, clock, store_id)
    clock.advance(1)

    first = polling.claim(operation_id=operation.pk, now=clock.now())
    second = polling.claim(operation_id=operation.pk, now=clock.now())
    polled_meanwhile = polling.poll(operation_id=operation.pk, now=clock.now())

    assert first is not None
    assert second is None
    assert polled_meanwhile is None
    operation.refresh_from_db()
    assert operation.poll_count == 0


def test_a_worker_that_dies_mid_poll_loses_nothing(api, clock, store_id):
    operation = submitted(api, clock, store_id)
    clock.advance(1)
    assert polling.claim(operation_id=operation.pk, now=clock.now())  # ...and the worker dies

    clock.advance(10)
    assert polling.poll(operation_id=operation.pk, now=clock.now()) is None  # still leased
    clock.advance(polling.LEASE.total_seconds() + 100)
    report = reconcile.reconcile_operations(now=clock.now(), older_than=timedelta(seconds=60))

    assert report.polled == [operation.pk]
    operation.refresh_from_db()
    assert operation.status == "COMPLETED"


def test_the_deadline_turns_a_stuck_operation_unknown(api, clocked_emulator, clock, store_id):
    clocked_emulator.step_seconds = 10_000
    operation = submitted(api, clock, store_id)

    operation = drive(operation, clock, limit=50)

    assert operation.status == "UNKNOWN"
    assert "Reconcile" in operation.error_detail
    assert operation.next_poll_at is None


def test_reconcile_picks_an_unknown_operation_up_again_once_twilio_finished(
    api, clocked_emulator, clock, store_id
):
    clocked_emulator.step_seconds = 1000
    operation = drive(submitted(api, clock, store_id), clock, limit=50)
    assert operation.status == "UNKNOWN"
    clock.advance(3000)

    reconcile.reconcile_operations(now=clock.now(), older_than=timedelta(0))

    operation.refresh_from_db()
    assert operation.status == "COMPLETED"


def test_a_foreign_host_status_url_is_never_polled(
    db, clock, store_id, clocked_emulator, monkeypatch
):
    from memadmin.memory_api import client as client_module

    hosts = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if request.method == "POST":
            return httpx.Response(
                202,
                json={
                    "message": "ok",
                    "statusUrl": "https://evil.example/v1/ControlPlane/Operations/op1",
                },
                headers={"Retry-After": "1", "Operation-Id": "op1"},
            )
        return httpx.Response(
            200,
            json={"operationId": "op1", "status": "COMPLETED", "createdAt": "2030-01-01T00:00:00Z"},
        )

    api = MemoryApiClient(
        base_url=EMULATOR_URL,
        username=API_USERNAME,
        password=API_PASSWORD,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    )
    monkeypatch.setattr(client_module, "_client", api)
    operation = drive(submitted(api, clock, store_id), clock)

    assert "evil.example" not in hosts
    assert operation.status == "COMPLETED"  # followed through the configured host instead
