"""Fixtures for the stores tests: a client on the instant emulator (tests/conftest.py)."""

import pytest

from memadmin.memory_api import MemoryApiClient, memory_api_client


@pytest.fixture
def api(instant_emulator) -> MemoryApiClient:
    return memory_api_client()
