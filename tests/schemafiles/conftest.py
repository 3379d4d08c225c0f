"""Every test here runs on the instant emulator (tests/conftest.py)."""

import pytest


@pytest.fixture(autouse=True)
def on_the_instant_emulator(instant_emulator):
    return instant_emulator
