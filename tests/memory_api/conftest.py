"""Fixtures for the Memory API client: clients over a scripted fake Twilio, on the fake clock."""

from collections.abc import Callable

import httpx
import pytest

from memadmin.memory_api import MemoryApiClient
from tests import fakes


@pytest.fixture
def make_client(clock) -> Callable[..., MemoryApiClient]:
    """make_client(handler, **options): a client over MockTransport whose waits are `clock`'s."""
    clients: list[MemoryApiClient] = []

    def make(handler, **options) -> MemoryApiClient:
        options = {"sleep": clock.sleep, "clock": clock} | options
        client = MemoryApiClient(
            base_url=options.pop("base_url", fakes.TWILIO_URL),
            username=fakes.API_USERNAME,
            password=fakes.API_PASSWORD,
            transport=httpx.MockTransport(handler),
            **options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
