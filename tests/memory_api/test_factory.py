"""One client per process, built from settings; "emulator" plugs in the embedded emulator."""

import subprocess
import sys
import threading
import time

import pytest

from memadmin.memory_api import (
    MemoryApiClient,
    MemoryApiError,
    OperationStatus,
    memory_api_client,
    reset_memory_api_client,
)


@pytest.fixture(autouse=True)
def fresh_client():
    reset_memory_api_client()
    yield
    reset_memory_api_client()


def test_the_process_shares_one_client_even_when_threads_race_for_it():
    seen: list[MemoryApiClient] = []
    threads = [threading.Thread(target=lambda: seen.append(memory_api_client())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in seen}) == 1
    assert memory_api_client() is seen[0]


def test_reset_drops_the_client_so_the_next_call_builds_a_new_one():
    first = memory_api_client()
    reset_memory_api_client()
    assert memory_api_client() is not first


def test_changed_settings_take_effect_on_the_next_call(settings):
    before = memory_api_client()
    settings.MEMORY_API_URL = "https://memory.example.test/"
    settings.MEMORY_API_PASSWORD = "changed-secret-value"
    client = memory_api_client()
    assert client is not before
    assert client.base_url == "https://memory.example.test"
    assert repr(client) == "MemoryApiClient('https://memory.example.test')"


def test_the_client_module_does_not_import_the_emulator():
    code = (
        "import sys, memadmin.memory_api; "
        "sys.exit(any(m.startswith('memadmin.emulator') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.fixture
def embedded_emulator(settings):
    embedded = pytest.importorskip("memadmin.emulator.embedded")
    settings.MEMORY_API_URL = "emulator"
    settings.EMULATOR_STATE_PATH = None
    settings.EMULATOR_STEP_SECONDS = 0.0
    embedded.reset_embedded_emulator()
    yield embedded.get_embedded_emulator()
    embedded.reset_embedded_emulator()


def test_through_the_factory_a_created_group_completes_and_can_be_fetched(embedded_emulator):
    client = memory_api_client()
    assert client.base_url == "http://memory-emulator.local"
    store = client.list_stores()[0]
    body = {
        "displayName": "Loyalty",
        "description": "Points and tiers",
        "traits": {"tier": {"dataType": "STRING", "description": "Gold, silver or bronze"}},
    }

    accepted = client.create_trait_group(store.id, body)
    status = poll_until_terminal(client, accepted.status_url)
    group = client.fetch_trait_group(store.id, "Loyalty")

    assert accepted.operation_id == status.operation_id
    assert status.status == "COMPLETED"
    assert group.to_request_body() == body
    assert group.etag
    assert "Loyalty" in {g.display_name for g in client.iter_trait_groups(store.id)}
    assert "email" in client.fetch_identity_resolution_settings(store.id).id_types


def test_the_emulator_enforces_if_match_through_the_client(embedded_emulator):
    client = memory_api_client()
    store_id = client.list_stores()[0].id
    contact = client.fetch_trait_group(store_id, "Contact")
    update = client.update_trait_group(
        store_id, "Contact", {"description": "Renamed"}, if_match=contact.etag
    )
    assert poll_until_terminal(client, update.status_url).status == "COMPLETED"
    with pytest.raises(MemoryApiError, match="changed in Twilio since you loaded it") as raised:
        client.update_trait_group(
            store_id, "Contact", {"description": "Again"}, if_match=contact.etag
        )
    assert raised.value.status == 412


def poll_until_terminal(client: MemoryApiClient, status_url: str) -> OperationStatus:
    deadline = time.monotonic() + 60  # only so that a broken emulator cannot hang the suite
    while True:
        status = client.fetch_operation(status_url)
        if status.is_terminal or time.monotonic() > deadline:
            return status
        time.sleep(0.01)
