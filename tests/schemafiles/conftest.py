"""The in-process emulator with operations that settle at once, as the reviews tests use it."""

import pytest

from memadmin.emulator.embedded import get_embedded_emulator, reset_embedded_emulator
from memadmin.memory_api.client import reset_memory_api_client


@pytest.fixture(autouse=True)
def emulator(settings):
    settings.MEMORY_API_URL = "emulator"
    settings.EMULATOR_STEP_SECONDS = 0.0
    reset_embedded_emulator()
    reset_memory_api_client()
    yield get_embedded_emulator()
    reset_embedded_emulator()
    reset_memory_api_client()


@pytest.fixture
def store_id(emulator):
    return emulator.store_ids[0]
