"""The fakes every test builds on: one clock, one set of credentials, a scripted Twilio,
the emulator in a subprocess, and the request bodies tests keep writing.

Fixtures stay in conftest.py files and build on this module; tests import this module,
never a conftest.
"""

import contextlib
import copy
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from memadmin.emulator.embedded import get_embedded_emulator, reset_embedded_emulator
from memadmin.memory_api import memory_api_client, reset_memory_api_client
from memadmin.operations import polling
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup
from memadmin.web.demo import PREFERENCES

REPO_ROOT = Path(__file__).resolve().parents[1]

# People sign in with this password (users come from the root conftest's make_user).
USER_PASSWORD = "correct-horse-battery"
# The Memory API credentials of every fake: long enough that redaction must find them.
API_USERNAME = "SKtest0000000000000000000000000000"
API_PASSWORD = "hunter2-very-secret-token"
# A clocked emulator answers here (in process, through httpx.WSGITransport).
EMULATOR_URL = "http://emulator.test"
# The scripted fake Twilio (FakeTwilio) answers here, through httpx.MockTransport.
TWILIO_URL = "https://memory.example.test"
OPERATIONS = f"{TWILIO_URL}/v1/ControlPlane/Operations"
# The emulator seeds the same stores every time: the first two.
SANDBOX = "mem_store_00000000000000000000000000"
PRODUCTION = "mem_store_00000000000000000000000001"
# How long a clocked emulator's operation stays PENDING, then RUNNING.
STEP = 1.0


class FakeClock:
    """Time that moves only when a test says so.

    Called, it gives seconds (the emulator's and the client's clock); `now()` gives the
    datetime Django code uses; `sleep` records the wait and moves the clock instead.
    """

    def __init__(self, start: float | None = None) -> None:
        self.seconds = float(int(time.time())) if start is None else start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, UTC)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def move_to(self, moment: datetime) -> None:
        self.seconds = max(self.seconds, moment.timestamp())


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


def store_json(store_id: str = SANDBOX) -> dict:
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


def completed(api: httpx.Client, clock: FakeClock, response: httpx.Response) -> dict[str, Any]:
    """Let a clocked emulator's accepted operation run its course; its final status."""
    assert response.status_code == 202, response.text
    clock.advance(2 * STEP)
    operation = api.get(response.json()["statusUrl"])
    assert operation.status_code == 200, operation.text
    return operation.json()


FAULT_VARIABLES = ("EMULATOR_FAIL_NEXT", "EMULATOR_SLOW_NEXT", "EMULATOR_FAIL_NEXT_OPERATION")


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


def store_with_live_preferences(settings) -> str:
    """A freshly seeded, synced sandbox in the embedded emulator where the demo group
    Preferences is live; its seeded mappings `web-signup` (preferredChannel,
    marketingOptIn) and `support-preferences` write it. Returns the store's id."""
    settings.MEMORY_API_URL = "emulator"
    settings.EMULATOR_STEP_SECONDS = 0.0
    reset_embedded_emulator()
    reset_memory_api_client()
    store_id = get_embedded_emulator().store_ids[0]
    memory_api_client().create_trait_group(store_id, copy.deepcopy(PREFERENCES))
    memory_api_client().fetch_trait_group(store_id, "Preferences")  # settles the create
    sync_store(store_id=store_id)
    return store_id


def definition(name: str = "Loyalty", **traits) -> dict:
    """A TraitGroupRequest: traits by name (default: tier and points)."""
    return {
        "displayName": name,
        "description": "Loyalty programme",
        "traits": traits or {"tier": {"dataType": "STRING"}, "points": {"dataType": "NUMBER"}},
    }


def trait_group_body(name: str, **traits: str) -> dict:
    """A TraitGroupRequest with STRING traits named by keyword (value = description)."""
    return {
        "displayName": name,
        "description": f"The {name} group",
        "traits": {
            trait: {"dataType": "STRING", "description": text} for trait, text in traits.items()
        }
        or {"score": {"dataType": "NUMBER"}},
    }


def form_data(display_name="loyalty", description="", traits=(), **extra):
    """The POST a builder form sends: traits are (name, dataType, {field: value}) tuples."""
    data = {"displayName": display_name, "description": description, "trait_keys": []}
    for key, (name, data_type, fields) in enumerate(traits):
        data["trait_keys"].append(str(key))
        data[f"traits-{key}-name"] = name
        data[f"traits-{key}-dataType"] = data_type
        for field, value in fields.items():
            data[f"traits-{key}-{field}"] = value
    data.update(extra)
    return data


def create_groups(api, store_id: str, names) -> None:
    """Creates groups through a MemoryApiClient; an instant emulator has them by the next read."""
    for name in names:
        api.create_trait_group(store_id, trait_group_body(name))


def published(group: TraitGroup) -> TraitGroup:
    """Marks a TraitGroup as memadmin last published it exactly as it is live now."""
    group.published_definition = {
        "displayName": group.name,
        **(
            {"description": group.live_definition["description"]}
            if group.live_definition.get("description")
            else {}
        ),
        "traits": group.live_definition["traits"],
    }
    group.save(update_fields=["published_definition"])
    return group


def live_group(store_id: str, name: str) -> TraitGroup:
    return TraitGroup.objects.get(store_id=store_id, name=name)


def drive(operation, clock: FakeClock, *, client=None, limit: int = 20):
    """The worker, by hand: wait until each poll of an Operation is due, then poll."""
    for _ in range(limit):
        operation.refresh_from_db()
        if not operation.is_in_flight:
            return operation
        clock.move_to(operation.next_poll_at)
        polling.poll(operation_id=operation.pk, now=clock.now(), client=client)
    operation.refresh_from_db()
    return operation
