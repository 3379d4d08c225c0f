"""Fixtures for trait-group tests: the emulator's store ids, builder form data.

The root conftest gives every test a fresh emulator and an empty cache.
"""

import pytest

from memadmin.emulator.embedded import get_embedded_emulator


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
