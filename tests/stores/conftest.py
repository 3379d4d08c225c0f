"""Fixtures for the stores tests: the embedded emulator applying changes at once."""

import pytest
from django.core.cache import cache

from memadmin.emulator.embedded import get_embedded_emulator, reset_embedded_emulator
from memadmin.memory_api import MemoryApiClient, memory_api_client, reset_memory_api_client
from memadmin.traitgroups.models import TraitGroup

SANDBOX = "mem_store_00000000000000000000000000"
PRODUCTION = "mem_store_00000000000000000000000001"


@pytest.fixture
def emulator(settings):
    """The in-process emulator with `step_seconds=0`: every change applies on the next request."""
    settings.MEMORY_API_URL = "emulator"
    settings.EMULATOR_STEP_SECONDS = 0
    reset_embedded_emulator()
    reset_memory_api_client()
    cache.clear()
    emulator = get_embedded_emulator()
    yield emulator
    reset_embedded_emulator()
    reset_memory_api_client()
    cache.clear()


@pytest.fixture
def api(emulator) -> MemoryApiClient:
    return memory_api_client()


def trait_group_body(name: str, **traits: str) -> dict:
    """A TraitGroupRequest with STRING traits named by keyword (value = description)."""
    return {
        "displayName": name,
        "description": f"The {name} group",
        "traits": {
            trait: {"dataType": "STRING", "description": text} for trait, text in traits.items()
        }
        or {"score": {"dataType": "NUMBER"}},
    }


def create_groups(api: MemoryApiClient, store_id: str, names) -> None:
    """Creates groups in the emulator; with step 0 they exist by the next read."""
    for name in names:
        api.create_trait_group(store_id, trait_group_body(name))


def published(group: TraitGroup) -> TraitGroup:
    """Marks a group as memadmin last published it exactly as it is live now."""
    group.published_definition = {
        "displayName": group.name,
        **(
            {"description": group.live_definition["description"]}
            if group.live_definition.get("description")
            else {}
        ),
        "traits": group.live_definition["traits"],
    }
    group.save(update_fields=["published_definition"])
    return group
