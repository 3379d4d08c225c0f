"""Restoring a version: a draft of that version on today's base, reviewed like any change."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from memadmin.history import selectors, services
from memadmin.memory_api.client import memory_api_client
from memadmin.operations.models import Operation
from memadmin.reviews import services as review_services
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion

Source = TraitGroupVersion.Source

V1 = {
    "displayName": "Loyalty",
    "description": "Rewards",
    "traits": {
        "tier": {"dataType": "STRING", "validationRule": {"ruleType": "STRING", "maxLength": 20}},
        "points": {"dataType": "NUMBER"},
    },
}
V2 = {
    "displayName": "Loyalty",
    "description": "Rewards programme",
    "traits": {**V1["traits"], "joinedOn": {"dataType": "STRING"}},
}
V3 = {
    "displayName": "Loyalty",
    "description": "Rewards programme",
    "traits": {
        "tier": {"dataType": "STRING", "validationRule": {"ruleType": "STRING", "maxLength": 8}},
        "joinedOn": {"dataType": "STRING"},
        "referrals": {"dataType": "ARRAY"},
    },
}


@pytest.fixture
def three_versions(publish):
    publish(V1)
    publish(V2)
    return publish(V3)


def version(group, number) -> TraitGroupVersion:
    return group.versions.get(version=number)


def live(store_id, name="Loyalty"):
    return memory_api_client().fetch_trait_group(store_id, name)


def test_each_published_version_is_recorded_with_who_and_which_revision(three_versions, reviewer):
    entries = selectors.list_versions(three_versions)

    assert [e.version.version for e in entries] == [3, 2, 1]
    assert {e.version.source for e in entries} == {Source.PUBLISH}
    assert {e.version.actor for e in entries} == {reviewer}
    assert all(e.version.revision.state == "published" for e in entries)
    assert entries[-1].is_first and entries[-1].version.definition["traits"] == V1["traits"]


def test_restoring_v1_is_reviewed_as_v3_to_v1_and_publishes_v1_as_version_4(
    three_versions, operator, reviewer, client, reviewed_and_published, store_id
):
    revision = services.restore_version(version=version(three_versions, 1), actor=operator)

    assert revision.state == TraitGroupRevision.State.DRAFT
    assert revision.kind == TraitGroupRevision.Kind.UPDATE
    assert revision.base_version == 3 and revision.base_definition["traits"] == V3["traits"]
    assert revision.definition["traits"] == V1["traits"]

    review_services.submit_for_review(revision=revision, actor=operator)
    client.force_login(reviewer)
    page = client.get(reverse("reviews:revision", args=[revision.pk])).content.decode()
    # The review shows what restoring undoes: v3's additions go, v1's traits come back.
    assert "Trait &#x27;referrals&#x27; is removed" in page
    assert 'data-trait="points"' in page and 'data-trait="joinedOn"' in page

    group = reviewed_and_published(revision)

    operation = Operation.objects.filter(revision=revision).get()
    assert operation.request_body == {
        "description": "Rewards",
        "traits": {
            "tier": V1["traits"]["tier"],
            "joinedOn": {"dataType": ""},
            "referrals": {"dataType": ""},
            "points": V1["traits"]["points"],
        },
    }
    fetched = live(store_id)
    assert fetched.version == 4
    assert fetched.to_request_body() == V1
    latest = selectors.list_versions(group)[0].version
    assert (latest.version, latest.source, latest.revision) == (4, Source.PUBLISH, revision)


def test_restoring_a_group_twilio_deleted_re_creates_it(
    publish, operator, delete_in_twilio, reviewed_and_published, store_id
):
    group = publish(V1)
    delete_in_twilio("Loyalty")

    revision = services.restore_version(version=version(group, 1), actor=operator)

    assert revision.kind == TraitGroupRevision.Kind.CREATE
    assert revision.base_definition is None
    group.refresh_from_db()
    assert group.deleted_in_twilio
    assert group.versions.order_by("-seen_at", "-pk").first().is_deletion

    reviewed_and_published(revision)

    assert live(store_id).to_request_body() == V1
    group.refresh_from_db()
    assert not group.deleted_in_twilio and group.live_definition == V1


def test_the_version_that_is_live_cannot_be_restored(three_versions, operator):
    with pytest.raises(services.RestoreRefused, match="what Twilio holds now"):
        services.restore_version(version=version(three_versions, 3), actor=operator)


def test_only_operators_may_restore(three_versions, reviewer, auditor, client):
    for person in (reviewer, auditor):
        with pytest.raises(PermissionDenied):
            services.restore_version(version=version(three_versions, 1), actor=person)
    client.force_login(reviewer)
    url = reverse(
        "history:restore", args=[three_versions.store_id, "Loyalty", version(three_versions, 1).pk]
    )
    response = client.post(url)
    assert response.status_code == 403
    assert "Only operators can restore" in response.content.decode()
    assert not TraitGroupRevision.objects.filter(author=reviewer).exists()


def test_the_history_page_offers_restore_only_to_operators_and_not_for_the_live_version(
    three_versions, client, operator, reviewer
):
    url = reverse("history:group", args=[three_versions.store_id, "Loyalty"])
    client.force_login(operator)
    page = client.get(url).content.decode()
    assert page.count("Restore this version</button>") == 2
    assert 'aria-label="Restore version 3"' not in page
    client.force_login(reviewer)
    assert "Restore this version" not in client.get(url).content.decode()


def test_restore_from_the_page_opens_the_draft(three_versions, client, operator):
    client.force_login(operator)
    url = reverse(
        "history:restore", args=[three_versions.store_id, "Loyalty", version(three_versions, 1).pk]
    )
    response = client.post(url)

    revision = TraitGroupRevision.objects.get(author=operator, state="draft")
    assert response.status_code == 302 and response.url == revision.get_absolute_url()
    assert revision.definition["traits"] == V1["traits"]


def test_restoring_the_same_version_twice_opens_the_first_draft_instead_of_a_second(
    three_versions, client, operator
):
    client.force_login(operator)
    url = reverse(
        "history:restore", args=[three_versions.store_id, "Loyalty", version(three_versions, 1).pk]
    )
    first = client.post(url)
    second = client.post(url, follow=True)

    (revision,) = TraitGroupRevision.objects.filter(author=operator, state="draft")
    assert second.redirect_chain[-1][0] == first.url == revision.get_absolute_url()
    page = second.content.decode()
    assert f"Revision {revision.pk} already restores version 1 of &#x27;Loyalty&#x27;" in page
    assert "no second draft was made" in page


def test_a_version_of_another_group_is_not_found_under_this_one(three_versions, client, operator):
    client.force_login(operator)
    url = reverse(
        "history:restore", args=[three_versions.store_id, "Contact", version(three_versions, 1).pk]
    )
    assert client.post(url).status_code == 404
    assert TraitGroup.objects.filter(name="Contact").count() == 0
