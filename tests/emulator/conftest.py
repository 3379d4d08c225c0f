"""Fixtures for the emulator's tests: an emulator on a fake clock, and a client for it."""

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memadmin.emulator import Emulator

USERNAME = "SKtest0000000000000000000000000000"
PASSWORD = "test-secret"
BASE_URL = "http://emulator.test"
STEP = 1.0
REPO_ROOT = Path(__file__).resolve().parents[2]
FAULT_VARIABLES = ("EMULATOR_FAIL_NEXT", "EMULATOR_SLOW_NEXT", "EMULATOR_FAIL_NEXT_OPERATION")


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


@contextlib.contextmanager
def standalone_emulator(*arguments: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `manage.py memory_emulator --port 0 …` in a subprocess; yield its base URL."""
    environment = {key: value for key, value in os.environ.items() if key not in FAULT_VARIABLES}
    environment.update({"PYTHONUNBUFFERED": "1", **(env or {})})
    process = subprocess.Popen(
        [sys.executable, "manage.py", "memory_emulator", "--port", "0", *arguments],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline() if process.stdout else ""
        match = re.search(r"on (http://127\.0\.0\.1:\d+)", banner)
        assert match, f"the emulator did not start: {banner!r}"
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)
