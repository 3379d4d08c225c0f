"""Fixtures for trait-group tests: a fresh emulator, its store ids, builder form data."""

import pytest
from django.core.cache import cache

from memadmin.emulator.embedded import get_embedded_emulator, reset_embedded_emulator


@pytest.fixture(autouse=True)
def fresh_emulator_and_cache():
    reset_embedded_emulator()
    cache.clear()
    yield
    reset_embedded_emulator()
    cache.clear()


@pytest.fixture
def store_id():
    return get_embedded_emulator().store_ids[0]


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
