"""memadmin's client reads data mappings: every page, typed, bounded, errors readable."""

import httpx
import pytest

from memadmin.emulator import Emulator
from memadmin.memory_api import DataMapping, MappingTarget, MemoryApiClient, MemoryApiError
from tests.contract.memory_api import assert_matches_contract
from tests.memory_api.conftest import BASE_URL, PASSWORD, STORE_ID, USERNAME, FakeTwilio

MAPPINGS = f"{BASE_URL}/v1/ControlPlane/Stores/{STORE_ID}/DataMappings"


def mapping_json(index: int, **overrides) -> dict:
    return {
        "id": f"mem_datamapping_{index:026d}",
        "createdAt": "2025-01-01T00:00:00Z",
        "updatedAt": "2025-01-02T00:00:00Z",
        "version": 2,
        "displayName": f"feed-{index}",
        "isEnabled": True,
        "mappingTo": {
            "type": "TRAITS",
            "mappings": [{"expression": "mail", "traitGroup": "Contact", "traitName": "email"}],
        },
        "mappingFrom": {"type": "INGRESS", "columns": ["mail"]},
        **overrides,
    }


@pytest.fixture
def emulated() -> MemoryApiClient:
    """The client over the real emulator, in process, at its seed."""
    emulator = Emulator(username=USERNAME, password=PASSWORD, step_seconds=0)
    client = MemoryApiClient(
        base_url=BASE_URL,
        username=USERNAME,
        password=PASSWORD,
        transport=httpx.WSGITransport(app=emulator),
    )
    yield client
    client.close()


def test_the_seeded_mappings_come_back_typed(emulated):
    mappings = emulated.list_data_mappings(STORE_ID)

    assert {mapping.display_name for mapping in mappings} >= {"crm-contacts", "web-signup"}
    crm = next(mapping for mapping in mappings if mapping.display_name == "crm-contacts")
    assert crm.source == "DATASET_CLOUDAPP"
    assert MappingTarget("Contact", "email", "primary_email") in crm.targets
    assert crm.created_at is not None and crm.created_at.year == 2025

    fetched = emulated.fetch_data_mapping(STORE_ID, crm.id)
    assert (fetched.id, fetched.etag) == (crm.id, '"v1"')
    assert fetched.targets == crm.targets


def test_every_page_is_read_by_following_next_token(make_client):
    pages = [
        httpx.Response(
            200,
            json={
                "dataMappings": [mapping_json(1), mapping_json(2)],
                "meta": {"key": "dataMappings", "pageSize": 2, "nextToken": "t2"},
            },
        ),
        httpx.Response(
            200,
            json={
                "dataMappings": [mapping_json(3)],
                "meta": {"key": "dataMappings", "pageSize": 1},
            },
        ),
    ]
    for page in pages:
        assert_matches_contract(page.json(), "DataMappingList")
    twilio = FakeTwilio(*pages)

    mappings = make_client(twilio).list_data_mappings(STORE_ID)

    assert [mapping.display_name for mapping in mappings] == ["feed-1", "feed-2", "feed-3"]
    assert [request.url.params.get("pageToken") for request in twilio.requests] == [None, "t2"]
    assert twilio.requests[0].url.params["pageSize"] == "100"


def test_a_listing_that_never_ends_is_stopped_with_a_readable_error(make_client):
    endless = FakeTwilio(
        lambda request: httpx.Response(
            200,
            json={
                "dataMappings": [mapping_json(1)],
                "meta": {"nextToken": f"next-{len(endless.requests)}"},
            },
        )
    )
    client = make_client(endless, max_pages=3)

    with pytest.raises(MemoryApiError) as stopped:
        client.list_data_mappings(STORE_ID)
    assert "did not end" in stopped.value.user_message
    assert len(endless.requests) == 4


def test_a_mapping_of_the_wrong_shape_is_a_readable_error(make_client):
    broken = mapping_json(1, mappingTo={"type": "TRAITS", "mappings": [{"traitGroup": 5}]})
    twilio = FakeTwilio(httpx.Response(200, json={"dataMappings": [broken], "meta": {}}))

    with pytest.raises(MemoryApiError) as unreadable:
        make_client(twilio).list_data_mappings(STORE_ID)
    assert "could not read (traitGroup has the wrong type)" in unreadable.value.user_message
    assert "/DataMappings" in unreadable.value.user_message


def test_a_missing_description_and_flag_take_the_specs_defaults():
    body = mapping_json(1)
    del body["isEnabled"]
    mapping = DataMapping.from_json(body)
    assert (mapping.description, mapping.is_enabled, mapping.version) == ("", True, 2)
