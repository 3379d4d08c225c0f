"""Pages cost what their data costs: list pages the same queries for 10 rows as for 1,000,
and fragments cached by content never outlive that content.

Each list page is filled with `rows` of what it lists and asked for by a signed-in user
who may see it; the bound is the same at both sizes, so a query per row (an N+1) fails.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from memadmin.accounts.services import sync_roles
from memadmin.api.models import ApiToken
from memadmin.audit import services as audit
from memadmin.audit.models import AuditEvent
from memadmin.operations.models import Operation
from memadmin.stores.models import SyncRun
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision

STORE_ID = "mem_store_00000000000000000000000000"
SIZES = [10, 1000]
# Queries per page: session, user, permissions, roles, and what the page itself reads.
BOUNDS = {
    "stores": 8,
    "store_groups": 13,
    "reviews_inbox": 10,
    "operations": 8,
    "audit": 8,
    "group_revisions": 12,
    "people": 8,
    "api_tokens": 8,
    "catalog": 11,
    # the draft, other revisions on their way, its dry run, the mappings writing the group
    "builder": 9,
}
DEFINITION = {
    "displayName": "Loyalty",
    "traits": {f"trait{i}": {"dataType": "STRING", "description": f"T{i}"} for i in range(20)},
}


@pytest.fixture
def loyalty(db):
    """A group fetched from Twilio a moment ago, so that its page asks nothing of Twilio."""
    return TraitGroup.objects.create(
        store_id=STORE_ID,
        name="Loyalty",
        live_definition=DEFINITION,
        live_version=3,
        live_etag='"v3"',
        live_synced_at=timezone.now(),
    )


def groups(count: int) -> None:
    TraitGroup.objects.bulk_create(
        TraitGroup(
            store_id=STORE_ID,
            name=f"Group{i:04d}",
            live_definition={**DEFINITION, "displayName": f"Group{i:04d}"},
            live_version=1,
            published_definition={**DEFINITION, "displayName": f"Group{i:04d}"},
        )
        for i in range(count)
    )
    SyncRun.objects.create(store_id=STORE_ID, state=SyncRun.State.SUCCEEDED)


def revisions(count: int, *, author, state: str, trait_group=None) -> None:
    TraitGroupRevision.objects.bulk_create(
        TraitGroupRevision(
            store_id=STORE_ID,
            trait_group=trait_group,
            kind="update" if trait_group else "create",
            definition={**DEFINITION, "displayName": f"New{i:04d}"},
            base_definition=DEFINITION,
            state=state,
            author=author,
            submitted_at=timezone.now(),
        )
        for i in range(count)
    )


@pytest.mark.parametrize("rows", SIZES)
def test_the_stores_page_costs_the_same_for_any_number_of_groups(
    rows, client, operator, django_assert_max_num_queries
):
    groups(rows)
    client.force_login(operator)
    with django_assert_max_num_queries(BOUNDS["stores"]):
        response = client.get("/stores/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_a_stores_group_list_costs_the_same_for_any_number_of_groups(
    rows, client, operator, django_assert_max_num_queries
):
    groups(rows)
    client.force_login(operator)
    with django_assert_max_num_queries(BOUNDS["store_groups"]):
        response = client.get(f"/stores/{STORE_ID}/groups/")
    assert response.status_code == 200
    assert "Group0009" in response.text


@pytest.mark.parametrize("rows", SIZES)
def test_the_reviews_inbox_costs_the_same_for_any_number_of_revisions(
    rows, client, operator, reviewer, django_assert_max_num_queries
):
    revisions(rows, author=operator, state=TraitGroupRevision.State.IN_REVIEW)
    revisions(rows, author=operator, state=TraitGroupRevision.State.APPROVED)
    client.force_login(reviewer)
    with django_assert_max_num_queries(BOUNDS["reviews_inbox"]):
        response = client.get("/reviews/")
    assert response.status_code == 200
    assert "New0009" in response.text


@pytest.mark.parametrize("rows", SIZES)
def test_the_operations_list_costs_the_same_for_any_number_of_operations(
    rows, client, operator, reviewer, django_assert_max_num_queries
):
    revisions(1, author=operator, state=TraitGroupRevision.State.PUBLISHING)
    revision = TraitGroupRevision.objects.get()
    Operation.objects.bulk_create(
        Operation(
            kind="update",
            method="PATCH",
            store_id=STORE_ID,
            trait_group_name=f"Group{i:04d}",
            request_body=DEFINITION,
            status=Operation.Status.COMPLETED,
            revision=revision,
            actor=reviewer,
        )
        for i in range(rows)
    )
    client.force_login(operator)
    with django_assert_max_num_queries(BOUNDS["operations"]):
        response = client.get("/operations/")
    assert response.status_code == 200
    assert "reviewer" in response.text


@pytest.mark.parametrize("rows", SIZES)
def test_the_audit_log_costs_the_same_for_any_number_of_events(
    rows, client, auditor, django_assert_max_num_queries
):
    for i in range(rows):
        audit.record(action="traitgroup.draft_saved", store_id=STORE_ID, detail=f"event {i}")
    assert AuditEvent.objects.count() >= rows
    client.force_login(auditor)
    with django_assert_max_num_queries(BOUNDS["audit"]):
        response = client.get("/audit/", {"q": "event"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_a_groups_page_costs_the_same_for_any_number_of_revisions(
    rows, client, operator, reviewer, loyalty, django_assert_max_num_queries
):
    revisions(rows, author=operator, state=TraitGroupRevision.State.PUBLISHED, trait_group=loyalty)
    client.force_login(reviewer)
    with django_assert_max_num_queries(BOUNDS["group_revisions"]):
        response = client.get(f"/stores/{STORE_ID}/groups/Loyalty/")
    assert response.status_code == 200
    assert response.text.count("Export JSON") >= rows


@pytest.mark.parametrize("rows", SIZES)
def test_the_people_page_costs_the_same_for_any_number_of_people(
    rows, client, admin_user, django_assert_max_num_queries
):
    sync_roles()
    people = get_user_model().objects.bulk_create(
        get_user_model()(username=f"person{i:04d}") for i in range(rows)
    )
    Group.objects.get(name="Reviewer").user_set.add(*people)
    client.force_login(admin_user)
    with django_assert_max_num_queries(BOUNDS["people"]):
        response = client.get("/accounts/people/")
    assert response.status_code == 200
    assert "person0009" in response.text


@pytest.mark.parametrize("rows", SIZES)
def test_the_api_tokens_page_costs_the_same_for_any_number_of_tokens(
    rows, client, operator, django_assert_max_num_queries
):
    ApiToken.objects.bulk_create(
        ApiToken(user=operator, label=f"token{i:04d}", role="Operator", prefix=f"p{i:06d}")
        for i in range(rows)
    )
    client.force_login(operator)
    with django_assert_max_num_queries(BOUNDS["api_tokens"]):
        response = client.get("/tokens/")
    assert response.status_code == 200
    assert "token0009" in response.text


@pytest.mark.parametrize("rows", SIZES)
def test_the_trait_catalog_costs_the_same_for_any_number_of_groups(
    rows, client, operator, django_assert_max_num_queries
):
    groups(rows)
    client.force_login(operator)
    with django_assert_max_num_queries(BOUNDS["catalog"]):
        response = client.get("/catalog/")
    assert response.status_code == 200
    assert "trait19" in response.text


def test_a_groups_page_shows_a_changed_definition_not_the_cached_table_of_the_old_one(
    client, reviewer, loyalty
):
    client.force_login(reviewer)
    assert "trait19" in client.get(f"/stores/{STORE_ID}/groups/Loyalty/").text
    loyalty.live_definition = {**DEFINITION, "traits": {"points": {"dataType": "NUMBER"}}}
    loyalty.save()
    page = client.get(f"/stores/{STORE_ID}/groups/Loyalty/").text
    assert "points" in page
    assert "trait19" not in page


def test_the_operations_list_shows_a_new_status_not_the_cached_row_of_the_old_one(
    client, operator, reviewer
):
    revisions(1, author=operator, state=TraitGroupRevision.State.PUBLISHING)
    operation = Operation.objects.create(
        kind="update",
        method="PATCH",
        store_id=STORE_ID,
        trait_group_name="Loyalty",
        request_body=DEFINITION,
        status=Operation.Status.RUNNING,
        revision=TraitGroupRevision.objects.get(),
        actor=reviewer,
    )
    client.force_login(operator)
    assert 'data-status="RUNNING"' in client.get("/operations/").text
    operation.status = Operation.Status.FAILED
    operation.error_title = "Twilio refused the change"
    operation.save()
    page = client.get("/operations/").text
    assert 'data-status="FAILED"' in page
    assert "Twilio refused the change" in page
    assert 'data-status="RUNNING"' not in page


@pytest.mark.parametrize("traits", [1, 95])
def test_the_builder_costs_the_same_queries_for_any_number_of_traits(
    traits, client, operator, django_assert_max_num_queries
):
    group = TraitGroup.objects.create(
        store_id=STORE_ID,
        name="Loyalty",
        live_definition={**DEFINITION, "traits": trait_definitions(traits)},
        live_version=3,
        live_etag='"v3"',
        live_synced_at=timezone.now(),
    )
    draft = drafts.start_edit(trait_group=group, author=operator)
    client.force_login(operator)
    with django_assert_max_num_queries(BOUNDS["builder"]):
        response = client.get(reverse("traitgroups:revision", args=[draft.pk]))
    assert response.status_code == 200
    assert f"{traits} of 95 traits" in response.text


def trait_definitions(count: int) -> dict:
    return {f"trait{i}": {"dataType": "STRING", "description": f"T{i}"} for i in range(count)}


def test_the_builder_shows_a_saved_change_not_the_cached_rows_of_the_old_draft(
    client, operator, loyalty
):
    draft = drafts.start_edit(trait_group=loyalty, author=operator)
    url = reverse("traitgroups:revision", args=[draft.pk])
    client.force_login(operator)
    page = client.get(url).text
    assert 'value="trait19"' in page and "Must be at least min" not in page

    changed = {**DEFINITION, "traits": trait_definitions(19)}
    rule = {"ruleType": "NUMBER", "min": 5, "max": 1}
    changed["traits"]["score"] = {"dataType": "NUMBER", "validationRule": rule}
    drafts.save_draft(
        revision=draft, definition=changed, lock_version=draft.lock_version, actor=operator
    )
    page = client.get(url).text
    assert 'value="score"' in page and 'value="trait19"' not in page
    assert "Must be at least min (5)" in page
