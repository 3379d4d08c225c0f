"""`manage.py memory_emulator`: options, faults from the environment, a state file."""

from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command

from memadmin.emulator.embedded import LOCAL_PASSWORD, LOCAL_USERNAME
from tests.fakes import standalone_emulator

STORES = "/v1/ControlPlane/Stores"


def test_the_server_takes_faults_from_the_environment_and_keeps_state_in_a_file(
    tmp_path: Path, settings
):
    state = tmp_path / "emulator.sqlite3"
    environment = {"EMULATOR_FAIL_NEXT": "2:429:3", "EMULATOR_FAIL_NEXT_OPERATION": "Boom"}
    auth = (settings.MEMORY_API_USERNAME, settings.MEMORY_API_PASSWORD)
    arguments = ("--state", str(state), "--step-seconds", "0", "--store-count", "3")
    with (
        standalone_emulator(*arguments, env=environment) as url,
        httpx.Client(base_url=url, auth=auth) as client,
    ):
        for _ in range(2):
            limited = client.get(STORES)
            assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
        stores = client.get(STORES).json()["stores"]
        assert len(stores) == 3
        accepted = client.post(f"{STORES}/{stores[-1]}/TraitGroups", json={"displayName": "G"})
        operation = client.get(accepted.json()["statusUrl"]).json()
        assert (operation["status"], operation["error"]["detail"]) == ("FAILED", "Boom")
        changed = client.patch(
            f"{STORES}/{stores[-1]}/TraitGroups/Contact",
            json={"traits": {"tier": {"dataType": "STRING"}}},
        )
        assert changed.status_code == 202
    assert state.exists()
    with (
        standalone_emulator("--state", str(state)) as url,
        httpx.Client(base_url=url, auth=auth) as client,
    ):
        # The update was accepted before the restart and is applied after it.
        contact = client.get(f"{STORES}/{stores[-1]}/TraitGroups/Contact").json()
        assert "tier" in contact["traitGroup"]["traits"]


def test_the_documented_local_credentials_are_the_fallback():
    assert (LOCAL_USERNAME, LOCAL_PASSWORD) == (
        "SKmemadminlocal0000000000000000000",
        "memadmin-local-secret",
    )


@pytest.mark.parametrize(
    "arguments", [("--step-seconds", "-1"), ("--store-count", "0"), ("--store-count", "16")]
)
def test_impossible_options_are_refused_before_serving(arguments: tuple[str, ...]):
    with pytest.raises(CommandError):
        call_command("memory_emulator", *arguments)
