"""The catalog's tests use the stores' client on the instant emulator (tests/conftest.py)."""

import pytest

from memadmin.memory_api import MemoryApiClient, memory_api_client


@pytest.fixture
def api(instant_emulator) -> MemoryApiClient:
    return memory_api_client()
