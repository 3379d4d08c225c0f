"""Fixtures for the Memory API client: a scripted fake Twilio and a clock that never waits."""

import json
import threading
from collections.abc import Callable

import httpx
import pytest

from memadmin.memory_api import MemoryApiClient

BASE_URL = "https://memory.example.test"
USERNAME = "SKtest00000000000000000000000000"
PASSWORD = "hunter2-very-secret-token"
STORE_ID = "mem_store_00000000000000000000000000"
OPERATIONS = f"{BASE_URL}/v1/ControlPlane/Operations"


class FakeTime:
    """`sleep` advances `clock` instead of waiting, and remembers every delay it was asked for."""

    def __init__(self):
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeTwilio:
    """A MockTransport handler that answers from a script and records what it was sent."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    @property
    def methods(self) -> list[str]:
        return [request.method for request in self.requests]


def twilio_error(status: int, code: int, message: str, **headers: str) -> httpx.Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/api/errors/{code}",
        "status": status,
    }
    return httpx.Response(status, json=body, headers=headers)


def accepted(operation_id: str = "op_1", **headers: str) -> httpx.Response:
    status_url = f"{OPERATIONS}/{operation_id}"
    return httpx.Response(
        202,
        json={"message": "Trait group change accepted", "statusUrl": status_url},
        headers={"Operation-Id": operation_id, "Location": status_url, "Retry-After": "1"}
        | headers,
    )


def store_json(store_id: str = STORE_ID) -> dict:
    return {
        "id": store_id,
        "displayName": "sandbox",
        "description": "A testing ground",
        "status": "ACTIVE",
        "intelligenceServiceId": "GA00000000000000000000000000000000",
        "version": 3,
    }


def body_of(request: httpx.Request) -> dict:
    return json.loads(request.content) if request.content else {}


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_client(fake_time) -> Callable[..., MemoryApiClient]:
    """make_client(handler, **options): a client over MockTransport on fake time."""
    clients: list[MemoryApiClient] = []

    def make(handler, **options) -> MemoryApiClient:
        options = {"sleep": fake_time.sleep, "clock": fake_time.clock} | options
        client = MemoryApiClient(
            base_url=options.pop("base_url", BASE_URL),
            username=USERNAME,
            password=PASSWORD,
            transport=httpx.MockTransport(handler),
            **options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
