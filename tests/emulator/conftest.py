"""Fixtures for the emulator's tests: a client on the clocked emulator (tests/conftest.py)."""

from collections.abc import Iterator

import httpx
import pytest

from memadmin.emulator import Emulator
from tests import fakes


@pytest.fixture
def api(clocked_emulator: Emulator) -> Iterator[httpx.Client]:
    """An authenticated client talking to the clocked emulator in process."""
    transport = httpx.WSGITransport(app=clocked_emulator)
    auth = (fakes.API_USERNAME, fakes.API_PASSWORD)
    with httpx.Client(transport=transport, base_url=fakes.EMULATOR_URL, auth=auth) as client:
        yield client


@pytest.fixture
def groups_url(store_id: str) -> str:
    return f"/v1/ControlPlane/Stores/{store_id}/TraitGroups"
