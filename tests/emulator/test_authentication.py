"""HTTP Basic auth guards every endpoint, control endpoints included."""

import base64

import httpx
import pytest

from memadmin.emulator import Emulator
from tests.contract.memory_api import assert_matches_contract
from tests.fakes import API_PASSWORD, API_USERNAME, EMULATOR_URL


@pytest.fixture
def anonymous(clocked_emulator: Emulator):
    with httpx.Client(
        transport=httpx.WSGITransport(app=clocked_emulator), base_url=EMULATOR_URL
    ) as client:
        yield client


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic " + base64.b64encode(f"{API_USERNAME}:wrong".encode()).decode(),
        "Basic " + base64.b64encode(f"someone-else:{API_PASSWORD}".encode()).decode(),
        "Basic " + base64.b64encode(f"{API_USERNAME}{API_PASSWORD}".encode()).decode(),
        "Basic !!!not-base64!!!",
        f"Bearer {API_PASSWORD}",
    ],
)
def test_missing_or_wrong_credentials_are_a_401_with_code_20003(
    anonymous: httpx.Client, store_id: str, authorization: str | None
):
    headers = {"Authorization": authorization} if authorization else {}
    for path in (
        "/v1/ControlPlane/Stores",
        f"/v1/ControlPlane/Stores/{store_id}/TraitGroups/Contact",
        "/v1/ControlPlane/Operations/anything",
        "/_emulator/faults",
    ):
        response = anonymous.get(path, headers=headers)
        assert response.status_code == 401
        assert_matches_contract(response.json(), "TwilioError")
        assert response.json()["code"] == 20003
        assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_refused_write_changes_nothing(anonymous: httpx.Client, api: httpx.Client, store_id: str):
    url = f"/v1/ControlPlane/Stores/{store_id}/TraitGroups/Contact"
    assert anonymous.delete(url).status_code == 401
    assert api.get(url).status_code == 200


def test_the_configured_credentials_are_accepted(api: httpx.Client):
    assert api.get("/v1/ControlPlane/Stores").status_code == 200


def test_passwords_may_contain_colons(clock):
    emulator = Emulator(username="SKuser", password="pa:ss:word", clock=clock)
    with httpx.Client(
        transport=httpx.WSGITransport(app=emulator),
        base_url=EMULATOR_URL,
        auth=("SKuser", "pa:ss:word"),
    ) as client:
        assert client.get("/v1/ControlPlane/Stores").status_code == 200
