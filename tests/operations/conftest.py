"""An emulator on a fake clock, wired in as the process-wide Memory API client."""

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from memadmin.emulator.app import Emulator
from memadmin.memory_api import MemoryApiClient
from memadmin.memory_api import client as client_module
from memadmin.operations import polling
from memadmin.operations.models import Operation
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision

USERNAME, PASSWORD = "SKtest", "test-secret"
BASE_URL = "http://memory-emulator.test"


class FakeClock:
    """Seconds since the epoch that move only when a test says so."""

    def __init__(self) -> None:
        self.seconds = float(int(time.time()))

    def __call__(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        self.seconds += seconds

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, UTC)

    def move_to(self, moment: datetime) -> None:
        self.seconds = max(self.seconds, moment.timestamp())


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def emulator(clock):
    return Emulator(username=USERNAME, password=PASSWORD, step_seconds=1.0, clock=clock)


@pytest.fixture
def make_api(emulator):
    def make(transport=None, **options) -> MemoryApiClient:
        return MemoryApiClient(
            base_url=BASE_URL,
            username=USERNAME,
            password=PASSWORD,
            transport=transport or httpx.WSGITransport(app=emulator),
            sleep=lambda seconds: None,
            **options,
        )

    return make


@pytest.fixture
def api(make_api, monkeypatch):
    """The client every service uses by default (receivers included)."""
    client = make_api()
    monkeypatch.setattr(client_module, "_client", client)
    return client


@pytest.fixture
def store_id(emulator):
    return emulator.store_ids[0]


def definition(name: str = "Loyalty", **traits) -> dict:
    return {
        "displayName": name,
        "description": "Loyalty programme",
        "traits": traits or {"tier": {"dataType": "STRING"}, "points": {"dataType": "NUMBER"}},
    }


@pytest.fixture
def approved_revision(db, operator, store_id):
    def make(name: str = "Loyalty", *, kind="create", group=None, body=None, **fields):
        return TraitGroupRevision.objects.create(
            store_id=store_id,
            kind=kind,
            trait_group=group,
            definition=body if body is not None else definition(name),
            author=operator,
            **{"state": TraitGroupRevision.State.APPROVED, **fields},
        )

    return make


def drive(operation: Operation, clock: FakeClock, *, client=None, limit: int = 20) -> Operation:
    """Run polls the way the worker would: wait until each is due, then poll."""
    for _ in range(limit):
        operation.refresh_from_db()
        if not operation.is_in_flight:
            return operation
        clock.move_to(operation.next_poll_at)
        polling.poll(operation_id=operation.pk, now=clock.now(), client=client)
    operation.refresh_from_db()
    return operation


def live_group(store_id: str, name: str) -> TraitGroup:
    return TraitGroup.objects.get(store_id=store_id, name=name)


__all__ = ["definition", "drive", "live_group", "timedelta"]
