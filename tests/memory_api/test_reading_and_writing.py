"""Typed results, pages followed to the end, ETags read and sent back, the User-Agent."""

import base64

import httpx
import pytest

from memadmin.memory_api import Accepted, MemoryApiError, TraitGroup
from tests.fakes import (
    API_PASSWORD,
    API_USERNAME,
    OPERATIONS,
    SANDBOX,
    FakeTwilio,
    accepted,
    body_of,
    store_json,
)

GROUPS = f"/v1/ControlPlane/Stores/{SANDBOX}/TraitGroups"
EMAIL = {"dataType": "STRING", "idTypePromotion": "email"}
TIER = {"dataType": "STRING", "validationRule": {"ruleType": "STRING", "maxLength": 10}}


def group_json(name: str, traits: dict | None = None, version: int = 1) -> dict:
    group = {"displayName": name, "description": f"{name} traits", "version": version}
    return group if traits is None else group | {"traits": traits}


def page(key: str, items: list, next_token: str | None = None) -> httpx.Response:
    meta = {"key": key, "pageSize": len(items)} | ({"nextToken": next_token} if next_token else {})
    return httpx.Response(200, json={key: items, "meta": meta})


def test_trait_groups_are_listed_across_pages_by_following_next_token(make_client):
    twilio = FakeTwilio(
        page("traitGroups", [group_json("Contact"), group_json("Loyalty")], next_token="p2"),
        page("traitGroups", [group_json("Orders")], next_token="p3"),
        page("traitGroups", []),
    )
    groups = make_client(twilio).iter_trait_groups(SANDBOX, page_size=2)
    assert [group.display_name for group in groups] == ["Contact", "Loyalty", "Orders"]
    queries = [dict(request.url.params) for request in twilio.requests]
    assert queries == [
        {"includeTraits": "false", "pageSize": "2"},
        {"includeTraits": "false", "pageSize": "2", "pageToken": "p2"},
        {"includeTraits": "false", "pageSize": "2", "pageToken": "p3"},
    ]
    assert {request.url.path for request in twilio.requests} == {GROUPS}


def test_pages_are_fetched_only_as_the_caller_reads_them(make_client):
    twilio = FakeTwilio(page("traitGroups", [group_json("Contact")], next_token="p2"))
    first = next(make_client(twilio).iter_trait_groups(SANDBOX))
    assert first.display_name == "Contact"
    assert len(twilio.requests) == 1


def test_a_page_token_that_comes_back_twice_ends_the_listing_instead_of_looping(make_client):
    twilio = FakeTwilio(page("traitGroups", [group_json("Contact")], next_token="same"))
    with pytest.raises(MemoryApiError, match="same page token came back twice"):
        list(make_client(twilio).iter_trait_groups(SANDBOX))
    assert len(twilio.requests) == 2


def test_a_trait_group_is_fetched_with_all_trait_pages_merged_and_its_etag(make_client):
    def trait_page(traits, next_token=None):
        meta = {"key": "traits"} | ({"nextToken": next_token} if next_token else {})
        body = {"traitGroup": group_json("Loyalty", traits, version=4), "meta": meta}
        return httpx.Response(200, json=body, headers={"ETag": '"v4"'})

    twilio = FakeTwilio(trait_page({"email": EMAIL}, next_token="t2"), trait_page({"tier": TIER}))
    group = make_client(twilio).fetch_trait_group(SANDBOX, "Loyalty")
    assert group == TraitGroup(
        display_name="Loyalty",
        description="Loyalty traits",
        traits={"email": EMAIL, "tier": TIER},
        version=4,
        etag='"v4"',
    )
    assert twilio.requests[0].url.params["includeTraits"] == "true"
    assert twilio.requests[1].url.params["pageToken"] == "t2"


def test_a_trait_group_updated_between_its_pages_is_read_again(make_client):
    def trait_page(version, traits, next_token=None):
        meta = {"nextToken": next_token} if next_token else {}
        return httpx.Response(
            200, json={"traitGroup": group_json("Loyalty", traits, version), "meta": meta}
        )

    twilio = FakeTwilio(
        trait_page(1, {"email": EMAIL}, next_token="t2"),
        trait_page(2, {"tier": TIER}),
        trait_page(2, {"email": EMAIL, "tier": TIER}),
    )
    group = make_client(twilio).fetch_trait_group(SANDBOX, "Loyalty")
    assert (group.version, set(group.traits)) == (2, {"email", "tier"})
    assert len(twilio.requests) == 3


def test_to_request_body_is_what_a_post_would_send_to_recreate_the_group():
    group = TraitGroup("Loyalty", "Points", {"tier": TIER}, version=3, etag='"v3"')
    body = group.to_request_body()
    assert body == {"displayName": "Loyalty", "description": "Points", "traits": {"tier": TIER}}
    body["traits"]["tier"]["dataType"] = "NUMBER"
    assert group.traits["tier"]["dataType"] == "STRING"


def test_a_create_posts_the_body_and_returns_what_was_accepted(make_client):
    twilio = FakeTwilio(accepted("op_7"))
    body = {"displayName": "Loyalty", "traits": {"tier": TIER}}
    result = make_client(twilio).create_trait_group(SANDBOX, body)
    assert result == Accepted(
        message="Trait group change accepted",
        status_url=f"{OPERATIONS}/op_7",
        operation_id="op_7",
        retry_after=1,
        location=f"{OPERATIONS}/op_7",
    )
    request = twilio.requests[0]
    assert (request.method, request.url.path, body_of(request)) == ("POST", GROUPS, body)
    assert request.headers["Content-Type"] == "application/json"


def test_without_an_operation_id_header_the_id_comes_from_the_status_url(make_client):
    answer = httpx.Response(202, json={"message": "ok", "statusUrl": f"{OPERATIONS}/op_8"})
    result = make_client(FakeTwilio(answer)).delete_trait_group(SANDBOX, "Loyalty")
    assert (result.operation_id, result.retry_after, result.location) == ("op_8", None, None)


def test_a_relative_status_url_is_made_absolute_on_the_configured_host(make_client):
    answer = httpx.Response(202, json={"statusUrl": "/v1/ControlPlane/Operations/op_9"})
    result = make_client(FakeTwilio(answer)).create_trait_group(SANDBOX, {"displayName": "A"})
    assert (result.status_url, result.operation_id) == (f"{OPERATIONS}/op_9", "op_9")


def test_an_api_under_a_path_prefix_gets_every_request_under_that_prefix(make_client):
    twilio = FakeTwilio(accepted())
    client = make_client(twilio, base_url="https://proxy.example.test/memory/")
    client.create_trait_group(SANDBOX, {"displayName": "A"})
    client.create_trait_group(SANDBOX, {"displayName": "B"})
    client.delete_trait_group(SANDBOX, "A b/c")
    assert [str(request.url) for request in twilio.requests] == [
        f"https://proxy.example.test/memory{GROUPS}",
        f"https://proxy.example.test/memory{GROUPS}",
        f"https://proxy.example.test/memory{GROUPS}/A%20b%2Fc",
    ]


def test_an_update_sends_the_etag_as_if_match_and_a_delete_checks_it_first(make_client):
    fetched = httpx.Response(
        200, json={"traitGroup": group_json("Loyalty", version=5)}, headers={"ETag": '"v5"'}
    )
    twilio = FakeTwilio(accepted(), fetched, accepted(), accepted())
    client = make_client(twilio)
    client.update_trait_group(SANDBOX, "Loyalty", {"description": "d"}, if_match='"v4"')
    client.delete_trait_group(SANDBOX, "Loyalty", if_match='"v5"')
    client.delete_trait_group(SANDBOX, "Loyalty")
    # DELETE takes no If-Match in the spec: the reviewed ETag is compared by a GET first.
    assert [(r.method, r.headers.get("If-Match")) for r in twilio.requests] == [
        ("PATCH", '"v4"'),
        ("GET", None),
        ("DELETE", None),
        ("DELETE", None),
    ]
    assert twilio.requests[0].url.path == f"{GROUPS}/Loyalty"
    assert body_of(twilio.requests[0]) == {"description": "d"}


def test_a_delete_is_refused_as_a_412_when_the_group_changed_since_review(make_client):
    fetched = httpx.Response(
        200, json={"traitGroup": group_json("Loyalty", version=6)}, headers={"ETag": '"v6"'}
    )
    twilio = FakeTwilio(fetched, accepted())
    with pytest.raises(MemoryApiError) as refused:
        make_client(twilio).delete_trait_group(SANDBOX, "Loyalty", if_match='"v5"')
    assert (refused.value.status, refused.value.code) == (412, 20412)
    assert "changed in Twilio since you loaded it" in refused.value.user_message
    assert "did not delete it" in refused.value.user_message
    assert twilio.methods == ["GET"]  # no DELETE went out


def test_every_request_names_memadmin_and_its_version_in_the_user_agent(make_client):
    twilio = FakeTwilio(httpx.Response(200, json=store_json()))
    make_client(twilio).fetch_store(SANDBOX)
    assert twilio.requests[0].headers["User-Agent"].startswith("memadmin/0.1.0 ")


def test_every_request_carries_the_credentials_timeouts_and_no_cookies(make_client):
    # Basic auth, the configured timeouts and the default headers reach the wire, and a
    # cookie set by one answer never rides along on the next (one client serves every user).
    twilio = FakeTwilio(
        httpx.Response(200, json=store_json(), headers={"Set-Cookie": "session=abc; Path=/"}),
        httpx.Response(200, json=store_json()),
    )
    client = make_client(twilio, connect_timeout=2, read_timeout=7)
    client.fetch_store(SANDBOX)
    client.fetch_store(SANDBOX)

    for request in twilio.requests:
        scheme, _, token = request.headers["Authorization"].partition(" ")
        assert (scheme, base64.b64decode(token).decode()) == (
            "Basic",
            f"{API_USERNAME}:{API_PASSWORD}",
        )
        assert request.headers["Accept"] == "application/json"
        assert request.extensions["timeout"] == {"connect": 2, "read": 7, "write": 7, "pool": 7}
    assert "Cookie" not in twilio.requests[1].headers


def test_stores_are_listed_across_pages_and_each_is_fetched(make_client):
    other = "mem_store_00000000000000000000000001"
    twilio = FakeTwilio(
        page("stores", [SANDBOX], next_token="s2"),
        page("stores", [other]),
        httpx.Response(200, json=store_json(SANDBOX), headers={"ETag": '"v3"'}),
        httpx.Response(200, json=store_json(other)),
    )
    stores = make_client(twilio).list_stores()
    assert [(store.id, store.status, store.etag) for store in stores] == [
        (SANDBOX, "ACTIVE", '"v3"'),
        (other, "ACTIVE", None),
    ]
    assert stores[0].intelligence_service_id.startswith("GA")


def test_identity_resolution_settings_list_the_identifier_types(make_client):
    settings = {
        "identifierConfigs": [{"idType": "email"}, {"idType": "phone"}],
        "matchingRules": ["email"],
        "version": 2,
    }
    twilio = FakeTwilio(httpx.Response(200, json=settings, headers={"ETag": '"v2"'}))
    result = make_client(twilio).fetch_identity_resolution_settings(SANDBOX)
    assert (result.id_types, result.matching_rules, result.etag) == (
        ["email", "phone"],
        ["email"],
        '"v2"',
    )
    assert twilio.requests[0].url.path.endswith("/IdentityResolutionSettings")


def test_a_page_size_outside_the_contract_is_refused_at_the_call(make_client):
    twilio = FakeTwilio(page("traitGroups", []))
    with pytest.raises(ValueError, match="page_size must be 1 to 100"):
        make_client(twilio).iter_trait_groups(SANDBOX, page_size=101)
    assert twilio.requests == []
