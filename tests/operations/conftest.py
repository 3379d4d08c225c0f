"""The clocked emulator (tests/conftest.py) wired in as the process-wide Memory API client."""

import httpx
import pytest

from memadmin.memory_api import MemoryApiClient
from memadmin.memory_api import client as client_module
from memadmin.traitgroups.models import TraitGroupRevision
from tests import fakes


@pytest.fixture
def make_api(clocked_emulator):
    def make(transport=None, **options) -> MemoryApiClient:
        return MemoryApiClient(
            base_url=fakes.EMULATOR_URL,
            username=fakes.API_USERNAME,
            password=fakes.API_PASSWORD,
            transport=transport or httpx.WSGITransport(app=clocked_emulator),
            sleep=lambda seconds: None,
            **options,
        )

    return make


@pytest.fixture
def api(make_api, monkeypatch):
    """The client every service uses by default (receivers included)."""
    client = make_api()
    monkeypatch.setattr(client_module, "_client", client)
    return client


@pytest.fixture
def approved_revision(db, operator, store_id):
    def make(name: str = "Loyalty", *, kind="create", group=None, body=None, **fields):
        return TraitGroupRevision.objects.create(
            store_id=store_id,
            kind=kind,
            trait_group=group,
            definition=body if body is not None else fakes.definition(name),
            author=operator,
            **{"state": TraitGroupRevision.State.APPROVED, **fields},
        )

    return make
