"""The official `twilio` library, pointed at the standalone emulator, works end to end.

The server is `manage.py memory_emulator` in a subprocess on a free loopback port, as a
developer would run it. Every response the library receives is recorded by a wrapping
HTTP client and checked against `tests/contract/memory_api.schema.json`.
"""

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client
from twilio.rest.memory.v1.data_mapping import DataMappingList
from twilio.rest.memory.v1.trait_group import TraitGroupList

from tests.contract.memory_api import contract_errors
from tests.emulator.conftest import standalone_emulator

USERNAME = "SKlibrarytest00000000000000000000"
PASSWORD = "library-test-secret"
STEP_SECONDS = 0.05
STORE_ID = "mem_store_00000000000000000000000000"
TraitGroupRequest = TraitGroupList.TraitGroupRequest
PatchTraitGroupRequest = TraitGroupList.PatchTraitGroupRequest


@dataclass(frozen=True)
class Exchange:
    """One request the library made and the raw response it got."""

    method: str
    url: str
    status: int
    text: str


class RecordingHttpClient(TwilioHttpClient):
    """The library's own HTTP client, keeping every exchange for contract checks."""

    def __init__(self) -> None:
        super().__init__()
        self.exchanges: list[Exchange] = []

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        response = super().request(method, url, *args, **kwargs)
        self.exchanges.append(Exchange(method, url, response.status_code, response.text))
        return response


def definition_for(exchange: Exchange) -> str | None:
    """Which contract definition the response body must satisfy (None: no body)."""
    if exchange.status >= 400:
        return "TwilioError"
    if exchange.status == 202:
        return "Accepted"
    path = urlsplit(exchange.url).path
    routes = [
        (r"/v1/ControlPlane/Operations/[^/]+", "OperationStatus"),
        (r"/v1/ControlPlane/Stores", "StoreList"),
        (r"/v1/ControlPlane/Stores/[^/]+", "Store"),
        (r"/v1/ControlPlane/Stores/[^/]+/IdentityResolutionSettings", "IdentityResolutionSettings"),
        (r"/v1/ControlPlane/Stores/[^/]+/TraitGroups", "TraitGroupList"),
        (r"/v1/ControlPlane/Stores/[^/]+/TraitGroups/[^/]+", "TraitGroupFetch"),
        (r"/v1/ControlPlane/Stores/[^/]+/DataMappings", "DataMappingList"),
        (r"/v1/ControlPlane/Stores/[^/]+/DataMappings/[^/]+", "DataMapping"),
    ]
    return next((name for pattern, name in routes if re.fullmatch(pattern, path)), None)


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """`manage.py memory_emulator` in a subprocess, with fast operations."""
    credentials = ("--username", USERNAME, "--password", PASSWORD)
    with standalone_emulator("--step-seconds", str(STEP_SECONDS), *credentials) as url:
        yield url


@pytest.fixture
def control(server_url: str) -> Iterator[httpx.Client]:
    """A plain client for the control endpoints; every test starts from the seed."""
    with httpx.Client(base_url=server_url, auth=(USERNAME, PASSWORD)) as client:
        assert client.post("/_emulator/reset").status_code == 200
        yield client


@pytest.fixture
def recorder() -> Iterator[RecordingHttpClient]:
    recording = RecordingHttpClient()
    yield recording
    problems = [
        f"{exchange.method} {exchange.url} → {exchange.status}: {problem}"
        for exchange in recording.exchanges
        if (definition := definition_for(exchange))
        for problem in contract_errors(_json(exchange.text), definition)
    ]
    assert not problems, "responses broke the contract:\n" + "\n".join(problems)


@pytest.fixture
def client(server_url: str, control: httpx.Client, recorder: RecordingHttpClient) -> Client:
    twilio = Client(USERNAME, PASSWORD, http_client=recorder)
    twilio.memory.base_url = server_url
    return twilio


def header(headers: dict[str, str], name: str) -> str:
    """The library hands headers over as a plain dict; names are case-insensitive in HTTP,
    so look them up that way (`ETag` itself must also work as spelled: see the journey)."""
    return next(value for key, value in headers.items() if key.lower() == name.lower())


def _json(text: str) -> Any:
    return json.loads(text)


def wait_for_operation(client: Client, operation_id: str) -> Any:
    """Poll as a patient client would, until the operation is terminal."""
    deadline = time.monotonic() + 5
    seen = []
    while time.monotonic() < deadline:
        operation = client.memory.v1.operations(operation_id).fetch()
        if not seen or seen[-1] != operation.status:
            seen.append(operation.status)
        if operation.status in ("COMPLETED", "FAILED", "CANCELLED"):
            return operation, seen
        time.sleep(STEP_SECONDS / 3)
    raise AssertionError(f"operation {operation_id} never finished: {seen}")


def loyalty_request(name: str = "Loyalty") -> TraitGroupRequest:
    return TraitGroupRequest(
        {
            "displayName": name,
            "description": "Loyalty programme",
            "traits": {
                "tier": {
                    "dataType": "STRING",
                    "validationRule": {"ruleType": "STRING", "maxLength": 16},
                },
                "points": {
                    "dataType": "NUMBER",
                    "validationRule": {"ruleType": "NUMBER", "min": 0},
                },
            },
        }
    )


def test_the_library_creates_polls_fetches_lists_updates_and_deletes_a_group(
    client: Client, recorder: RecordingHttpClient
):
    groups = client.memory.v1.trait_groups(STORE_ID)

    accepted = groups.create_with_http_info(trait_group_request=loyalty_request())
    assert accepted.status_code == 202
    operation_id = header(accepted.headers, "Operation-Id")
    assert accepted.data.status_url.endswith(f"/v1/ControlPlane/Operations/{operation_id}")
    assert header(accepted.headers, "Location") == accepted.data.status_url
    operation, seen = wait_for_operation(client, operation_id)
    assert operation.status == "COMPLETED"
    assert seen[0] in ("PENDING", "RUNNING") and seen[-1] == "COMPLETED"
    assert operation.result == {"type": "RESOURCE_ID", "id": "Loyalty"}
    assert operation.created_at.tzinfo is not None  # parsed by the library, not left a str

    fetched = groups("Loyalty").fetch_with_http_info()
    assert fetched.data.trait_group["version"] == 1
    assert list(fetched.data.trait_group["traits"]) == ["tier", "points"]
    etag = header(fetched.headers, "ETag")
    assert etag == '"v1"'
    assert fetched.headers["ETag"] == etag  # the library's headers are a case-sensitive dict

    for name in ("Alpha", "Beta"):
        wait_for_operation(
            client,
            header(
                groups.create_with_http_info(
                    trait_group_request=TraitGroupRequest({"displayName": name})
                ).headers,
                "Operation-Id",
            ),
        )
    before = len(recorder.exchanges)
    listed = groups.list(page_size=2)
    pages = len(recorder.exchanges) - before
    assert [group.display_name for group in listed] == ["Beta", "Alpha", "Loyalty", "Contact"]
    assert pages == 2
    assert listed[0].traits is None  # includeTraits defaults to false on lists

    update = PatchTraitGroupRequest(
        {"description": "Points and tiers", "traits": {"tier": {"dataType": ""}}}
    )
    patched = groups("Loyalty").patch_with_http_info(
        patch_trait_group_request=update, if_match=etag
    )
    assert patched.status_code == 202
    operation, _ = wait_for_operation(client, header(patched.headers, "Operation-Id"))
    assert operation.status == "COMPLETED"
    after_patch = groups("Loyalty").fetch()
    assert after_patch.trait_group["version"] == 2
    assert list(after_patch.trait_group["traits"]) == ["points"]

    with pytest.raises(TwilioRestException) as stale:
        groups("Loyalty").patch(patch_trait_group_request=update, if_match=etag)
    assert (stale.value.status, stale.value.code) == (412, 20412)

    deleted = groups("Loyalty").delete()
    # A 202 with a body: the library hands back the parsed body, not `True`.
    assert deleted["statusUrl"].startswith(client.memory.base_url)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            groups("Loyalty").fetch()
        except TwilioRestException as gone:
            assert (gone.status, gone.code) == (404, 20404)
            break
        time.sleep(STEP_SECONDS / 3)
    else:
        raise AssertionError("the deleted group never disappeared")


def test_the_library_reads_stores_and_identity_resolution_settings(client: Client):
    assert client.memory.v1.stores.list() == [
        "mem_store_00000000000000000000000001",
        STORE_ID,
    ]
    store = client.memory.v1.stores(STORE_ID).fetch()
    assert (store.display_name, store.status) == ("sandbox", "ACTIVE")
    settings = client.memory.v1.identity_resolution_settings(STORE_ID).fetch()
    assert [config["idType"] for config in settings.identifier_configs] == ["email", "phone"]


def test_a_duplicate_name_is_accepted_and_its_operation_fails(client: Client):
    accepted = client.memory.v1.trait_groups(STORE_ID).create_with_http_info(
        trait_group_request=TraitGroupRequest({"displayName": "Contact"})
    )
    operation, _ = wait_for_operation(client, header(accepted.headers, "Operation-Id"))
    assert operation.status == "FAILED"
    assert "already exists" in operation.error["detail"]


class RawBody:
    """Stands in for a request model, to send what the library's models cannot express."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def to_dict(self) -> dict[str, Any]:
        return self.body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (TraitGroupRequest({"displayName": "has space"}), "displayName"),
        (
            TraitGroupRequest(
                {
                    "displayName": "TooBig",
                    "traits": {f"t{i}": {"dataType": "STRING"} for i in range(96)},
                }
            ),
            "traits",
        ),
        (
            TraitGroupRequest({"displayName": "G", "traits": {"t": {"dataType": "DATE"}}}),
            "traits.t.dataType",
        ),
        (
            TraitGroupRequest(
                {
                    "displayName": "G",
                    "traits": {
                        "t": {
                            "dataType": "STRING",
                            "validationRule": {"ruleType": "STRING", "min": 1},
                        }
                    },
                }
            ),
            "traits.t.validationRule.min",
        ),
        (
            RawBody(
                {
                    "displayName": "G",
                    "traits": {
                        "t": {
                            "dataType": "STRING",
                            "validationRule": {"ruleType": "STRING", "caseSensitive": True},
                        }
                    },
                }
            ),
            "traits.t.validationRule.caseSensitive",
        ),
    ],
)
def test_bad_requests_raise_twilio_rest_exception_naming_the_field(
    client: Client, body: Any, field: str
):
    with pytest.raises(TwilioRestException) as refused:
        client.memory.v1.trait_groups(STORE_ID).create(trait_group_request=body)
    assert (refused.value.status, refused.value.code) == (400, 400)
    assert f"Invalid value for {field}:" in refused.value.msg


def test_a_bad_store_id_is_a_400(client: Client):
    with pytest.raises(TwilioRestException) as refused:
        client.memory.v1.trait_groups("mem_store_bad").create(
            trait_group_request=TraitGroupRequest({"displayName": "G"})
        )
    assert (refused.value.status, refused.value.code) == (400, 400)
    with pytest.raises(TwilioRestException) as on_fetch:
        client.memory.v1.stores("mem_store_bad").fetch()
    assert on_fetch.value.status == 400


def test_list_errors_surface_as_the_librarys_generic_page_exception(client: Client):
    # The library's pager raises a bare TwilioException, not TwilioRestException.
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        client.memory.v1.trait_groups("mem_store_bad").list()


def test_wrong_credentials_raise_401_with_code_20003(
    server_url: str, control: httpx.Client, recorder: RecordingHttpClient
):
    intruder = Client(USERNAME, "not-the-secret", http_client=recorder)
    intruder.memory.base_url = server_url
    with pytest.raises(TwilioRestException) as refused:
        intruder.memory.v1.trait_groups(STORE_ID, "Contact").fetch()
    assert (refused.value.status, refused.value.code) == (401, 20003)


def test_injected_faults_reach_the_library_over_http(client: Client, control: httpx.Client):
    control.post("/_emulator/faults", json={"failNext": {"count": 1, "status": 429}})
    with pytest.raises(TwilioRestException) as limited:
        client.memory.v1.trait_groups(STORE_ID, "Contact").fetch()
    assert (limited.value.status, limited.value.code) == (429, 20429)
    assert client.memory.v1.trait_groups(STORE_ID, "Contact").fetch().trait_group


def test_the_library_lists_creates_fetches_and_patches_data_mappings(
    client: Client, recorder: RecordingHttpClient
):
    mappings = client.memory.v1.data_mappings(STORE_ID)
    seeded = mappings.list(page_size=3)
    assert len(seeded) == 4  # two pages of the seed, followed by the library's pager
    assert {mapping.mapping_from["type"] for mapping in seeded} == {
        "INGRESS",
        "DATASET_CLOUDAPP",
        "DATASET_WAREHOUSE",
    }

    accepted = mappings.create_with_http_info(
        DataMappingList.CreateDataMappingInput(
            {
                "displayName": "crm-loyalty",
                "mappingTo": {
                    "type": "TRAITS",
                    "mappings": [
                        {"expression": "mail", "traitGroup": "Contact", "traitName": "email"}
                    ],
                },
                "mappingFrom": {
                    "type": "DATASET_CLOUDAPP",
                    "datasetId": "tdi_dataset_00000000000000000000000042",
                },
            }
        )
    )
    assert accepted.status_code == 202
    operation, _ = wait_for_operation(client, header(accepted.headers, "Operation-Id"))
    assert operation.status == "COMPLETED"
    mapping_id = operation.result["id"]

    fetched = mappings(mapping_id).fetch()
    assert (fetched.display_name, fetched.version, fetched.is_enabled) == ("crm-loyalty", 1, True)
    assert fetched.mapping_to["mappings"][0]["traitName"] == "email"
    assert fetched.created_at.tzinfo is not None

    patched = mappings(mapping_id).patch_with_http_info(
        DataMappingList.DataMappingCore({"isEnabled": False}), if_match='"v1"'
    )
    assert patched.status_code == 202
    wait_for_operation(client, header(patched.headers, "Operation-Id"))
    assert mappings(mapping_id).fetch().is_enabled is False
    assert len(mappings.list(type="DATASET_CLOUDAPP")) == 2
