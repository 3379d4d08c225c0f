"""Fixtures for the emulator's tests: an emulator on a fake clock, and a client for it."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from memadmin.emulator import Emulator

USERNAME = "SKtest0000000000000000000000000000"
PASSWORD = "test-secret"
BASE_URL = "http://emulator.test"
STEP = 1.0


class FakeClock:
    """A clock tests move by hand, so operation timing is exact and instant."""

    def __init__(self, start: float = 1_760_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(clock: FakeClock) -> Emulator:
    return Emulator(username=USERNAME, password=PASSWORD, step_seconds=STEP, clock=clock)


@pytest.fixture
def api(emulator: Emulator) -> Iterator[httpx.Client]:
    """An authenticated client talking to the emulator in process."""
    transport = httpx.WSGITransport(app=emulator)
    with httpx.Client(transport=transport, base_url=BASE_URL, auth=(USERNAME, PASSWORD)) as client:
        yield client


@pytest.fixture
def store_id(emulator: Emulator) -> str:
    return emulator.store_ids[0]


@pytest.fixture
def groups_url(store_id: str) -> str:
    return f"/v1/ControlPlane/Stores/{store_id}/TraitGroups"


def completed(api: httpx.Client, clock: FakeClock, response: httpx.Response) -> dict[str, Any]:
    """Let an accepted operation run its course; return its final OperationStatus."""
    assert response.status_code == 202, response.text
    clock.advance(2 * STEP)
    operation = api.get(response.json()["statusUrl"])
    assert operation.status_code == 200, operation.text
    return operation.json()
