"""The process-wide emulator that `MEMORY_API_URL=emulator` uses, configured by settings."""

from pathlib import Path

import httpx
import pytest

from memadmin import config
from memadmin.emulator.embedded import (
    LOCAL_PASSWORD,
    LOCAL_USERNAME,
    get_embedded_emulator,
    reset_embedded_emulator,
)


@pytest.fixture(autouse=True)
def fresh_singleton():
    reset_embedded_emulator()
    yield
    reset_embedded_emulator()


def test_it_is_one_instance_per_process():
    assert get_embedded_emulator() is get_embedded_emulator()


def test_it_accepts_the_credentials_memadmin_is_configured_with(settings):
    settings.MEMORY_API_USERNAME = "SKconfigured"
    settings.MEMORY_API_PASSWORD = "configured-secret"
    settings.EMULATOR_STEP_SECONDS = 0.0
    emulator = get_embedded_emulator()
    assert emulator.step_seconds == 0.0
    transport = httpx.WSGITransport(app=emulator)
    with httpx.Client(transport=transport, base_url="http://emulator.test") as client:
        ok = client.get("/v1/ControlPlane/Stores", auth=("SKconfigured", "configured-secret"))
        refused = client.get("/v1/ControlPlane/Stores", auth=(LOCAL_USERNAME, LOCAL_PASSWORD))
    assert (ok.status_code, refused.status_code) == (200, 401)


def test_without_credentials_memadmin_and_the_emulator_agree_on_the_local_pair(monkeypatch):
    for name in (
        "TWILIO_API_KEY_SID",
        "TWILIO_API_KEY_SECRET",
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    assert config.memory_api_credentials() == (LOCAL_USERNAME, LOCAL_PASSWORD, False)


def test_with_a_state_path_two_processes_would_share_state(settings, tmp_path: Path):
    settings.EMULATOR_STATE_PATH = tmp_path / "emulator.sqlite3"
    settings.EMULATOR_STEP_SECONDS = 0.0
    emulator = get_embedded_emulator()
    assert (tmp_path / "emulator.sqlite3").exists()
    reset_embedded_emulator()
    assert get_embedded_emulator() is not emulator


def test_reset_restores_the_seed_of_the_current_instance(settings):
    settings.EMULATOR_STEP_SECONDS = 0.0
    emulator = get_embedded_emulator()
    auth = (settings.MEMORY_API_USERNAME, settings.MEMORY_API_PASSWORD)
    groups = f"/v1/ControlPlane/Stores/{emulator.store_ids[0]}/TraitGroups"
    transport = httpx.WSGITransport(app=emulator)
    with httpx.Client(transport=transport, base_url="http://e.test", auth=auth) as client:
        client.post(groups, json={"displayName": "Extra"})
        assert client.get(f"{groups}/Extra").status_code == 200
        reset_embedded_emulator()
        assert client.get(f"{groups}/Extra").status_code == 404
