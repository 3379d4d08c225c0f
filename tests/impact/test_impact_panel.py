"""The impact panel, as the builder and the review page show it, from stored data only."""

import copy
import json

import pytest
from django.urls import reverse

from memadmin.catalog.models import DataMapping
from memadmin.memory_api.session import ApiSession
from memadmin.reviews import services as reviews
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.builder import state as builder_state
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import store_with_live_preferences


@pytest.fixture
def store_id(db, settings):
    """A synced store where the demo group Preferences is live, written by seeded mappings."""
    return store_with_live_preferences(settings)


@pytest.fixture
def preferences(store_id):
    return TraitGroup.objects.get(store_id=store_id, name="Preferences")


@pytest.fixture
def no_api_calls(monkeypatch):
    """Any call to the Memory API fails the test: the panel reads stored data only."""

    def refuse(*args, **kwargs):
        raise AssertionError("the impact panel called the Memory API")

    # Every request of every client goes through ApiSession.send; patching the factory
    # instead would miss each module that imported it by name (all of them do).
    monkeypatch.setattr(ApiSession, "send", refuse)


def builder_post(client, store_id, definition, **extra):
    draft = builder_state.draft_from_definition(definition)
    form = {"displayName": draft["displayName"], "description": draft["description"]}
    form["trait_keys"] = [str(row["key"]) for row in draft["traits"]]
    for row in draft["traits"]:
        for field in builder_state.ROW_FIELDS:
            form[f"traits-{row['key']}-{field}"] = row.get(field, "")
    form.update(extra)
    return client.post(
        reverse("impact:builder", args=[store_id]),
        json.dumps(form),
        content_type="application/json",
        headers={"HX-Request": "true"},
    )


def test_removing_a_trait_a_mapping_writes_shows_high_risk_as_the_operator_edits(
    client, operator, store_id, preferences, no_api_calls
):
    edited = copy.deepcopy(preferences.live_definition)
    del edited["traits"]["marketingOptIn"]
    client.force_login(operator)
    response = builder_post(client, store_id, edited, fixed_name="Preferences")
    assert response.status_code == 200
    panel = response.content.decode()
    assert "HIGH risk" in panel
    assert "removes <code>marketingOptIn</code>, which mapping <em>web-signup</em> writes" in panel
    assert "needs 2 approvals, each from a different reviewer" in panel


def test_tightening_a_rule_shows_it_is_not_yet_sampled(
    client, operator, store_id, preferences, no_api_calls
):
    edited = copy.deepcopy(preferences.live_definition)
    edited["traits"]["preferredChannel"]["validationRule"]["pattern"] = "^(sms|email)$"
    client.force_login(operator)
    panel = builder_post(client, store_id, edited, fixed_name="Preferences").content.decode()
    assert "HIGH risk" in panel and "Not yet sampled" in panel
    assert "<em>support-preferences</em>" in panel and "<em>web-signup</em>" in panel


def test_adding_a_trait_is_low_risk_in_the_builder(client, operator, store_id, preferences):
    edited = copy.deepcopy(preferences.live_definition)
    edited["traits"]["language"] = {"dataType": "STRING"}
    client.force_login(operator)
    panel = builder_post(client, store_id, edited, fixed_name="Preferences").content.decode()
    assert "LOW risk" in panel and "adds <code>language</code>" in panel


def test_the_builder_page_shows_the_panel_from_the_start(client, operator, preferences):
    revision = drafts.start_edit(trait_group=preferences, author=operator)
    client.force_login(operator)
    page = client.get(reverse("traitgroups:revision", args=[revision.pk])).content.decode()
    assert 'id="impact-panel"' in page and "LOW risk" in page and "changes nothing" in page
    assert reverse("impact:builder", args=[preferences.store_id]) in page


def test_a_form_that_is_not_json_is_refused_with_400(client, operator, store_id):
    client.force_login(operator)
    response = client.post(
        reverse("impact:builder", args=[store_id]), "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_reviewers_and_auditors_may_not_ask_for_a_draft_impact(client, reviewer, store_id):
    client.force_login(reviewer)
    assert client.post(reverse("impact:builder", args=[store_id])).status_code == 403


def test_a_group_deletion_lists_every_mapping_that_writes_into_it(
    client, operator, reviewer, preferences
):
    revision = reviews.request_delete(
        trait_group=preferences, actor=operator, confirm_name="Preferences"
    )
    client.force_login(reviewer)
    page = client.get(reverse("reviews:revision", args=[revision.pk])).content.decode()
    assert "HIGH risk" in page
    assert "deletes the group <code>Preferences</code>" in page
    assert "mappings <em>support-preferences</em>, <em>web-signup</em> write into it" in page
    assert page.count("writes <code>preferredChannel</code>") == 2  # one line per mapping


def test_the_review_page_costs_the_same_queries_for_many_traits(
    client, operator, reviewer, preferences, django_assert_max_num_queries
):
    edited = copy.deepcopy(preferences.live_definition)
    for i in range(90):
        edited["traits"][f"extra{i}"] = {"dataType": "STRING"}
    revision = drafts.start_edit(trait_group=preferences, author=operator)
    revision = drafts.save_draft(
        revision=revision, definition=edited, lock_version=revision.lock_version, actor=operator
    )
    reviews.submit_for_review(revision=revision, actor=operator)
    client.force_login(reviewer)
    client.get(reverse("reviews:revision", args=[revision.pk]))  # warm the caches
    with django_assert_max_num_queries(40):
        response = client.get(reverse("reviews:revision", args=[revision.pk]))
    assert "LOW risk" in response.content.decode()


def test_the_panel_says_each_reason_once(client, operator, store_id, preferences):
    edited = copy.deepcopy(preferences.live_definition)
    edited["traits"]["language"] = {"dataType": "STRING"}
    client.force_login(operator)
    panel = builder_post(client, store_id, edited, fixed_name="Preferences").content.decode()
    assert panel.count("adds <code>language</code>") == 1  # in "Why", where LOW comes from
    assert "Trait by trait" not in panel  # nothing more to say about it

    del edited["traits"]["marketingOptIn"]
    panel = builder_post(client, store_id, edited, fixed_name="Preferences").content.decode()
    why, _, by_trait = panel.partition("Trait by trait")
    assert "removes <code>marketingOptIn</code>, which mapping <em>web-signup</em>" in why
    assert "removes <code>marketingOptIn</code>" not in by_trait
    assert (
        "adds <code>language</code>" not in why
        and by_trait.count("adds <code>language</code>") == 1
    )
    assert 'data-trait="marketingOptIn"' in by_trait and "Written by" in by_trait


def test_the_builder_is_told_when_the_draft_retypes_or_removes_a_live_trait(
    client, operator, store_id, preferences, no_api_calls
):
    edited = copy.deepcopy(preferences.live_definition)
    edited["traits"]["quietHoursStart"] = {"dataType": "STRING"}
    edited["traits"]["channel"] = edited["traits"].pop("preferredChannel")
    client.force_login(operator)
    answer = builder_post(client, store_id, edited, fixed_name="Preferences").content.decode()
    notice = answer[answer.index('id="live-trait-notice"') :]
    assert 'hx-swap-oob="true"' in notice.split(">", 1)[0]  # it follows live validation
    assert (
        "<code>quietHoursStart</code> is live as NUMBER; this draft makes it STRING — "
        "values already stored may no longer fit." in notice
    )
    assert (
        "<code>preferredChannel</code> is live and this draft removes it. If "
        "<code>channel</code> is its new name: renaming a trait is removing it and adding "
        "another" in notice
    )

    answer = builder_post(
        client, store_id, preferences.live_definition, fixed_name="Preferences"
    ).content.decode()
    assert "is live" not in answer[answer.index('id="live-trait-notice"') :]


def test_a_saved_draft_that_removes_a_live_trait_says_so_above_its_form(
    client, operator, preferences
):
    edited = copy.deepcopy(preferences.live_definition)
    del edited["traits"]["marketingOptIn"]
    revision = drafts.start_edit(trait_group=preferences, author=operator)
    drafts.save_draft(
        revision=revision, definition=edited, lock_version=revision.lock_version, actor=operator
    )
    client.force_login(operator)
    page = client.get(reverse("traitgroups:revision", args=[revision.pk])).content.decode()
    assert page.index('id="live-trait-notice"') < page.index('id="builder-form"')
    assert (
        "<code>marketingOptIn</code> is live and this draft removes it (renaming a trait is "
        "removing it and adding another): profiles lose the values it holds." in page
    )


def test_no_api_calls_catches_a_call_from_any_module(store_id, no_api_calls):
    """The guard holds wherever the call comes from: each module binds the factory itself."""
    from memadmin.catalog.services import sync_data_mappings

    with pytest.raises(AssertionError, match="called the Memory API"):
        sync_data_mappings(store_id=store_id)


@pytest.mark.parametrize("revision", ["²", "9" * 30, "-1", "abc"])
def test_a_revision_id_that_is_no_id_gets_the_panel_of_the_draft_never_a_500(
    client, operator, store_id, preferences, revision
):
    edited = copy.deepcopy(preferences.live_definition)
    edited["traits"]["language"] = {"dataType": "STRING"}
    client.force_login(operator)
    response = builder_post(client, store_id, edited, fixed_name="Preferences", revision=revision)
    assert response.status_code == 200
    assert "adds <code>language</code>" in response.content.decode()


def test_the_review_pages_panel_follows_the_synced_mappings_after_it_was_shown(
    client, operator, reviewer, preferences
):
    """The panel's markup is cached by content; a mapping synced since is still news."""
    revision = reviews.request_delete(
        trait_group=preferences, actor=operator, confirm_name="Preferences"
    )
    client.force_login(reviewer)
    url = reverse("reviews:revision", args=[revision.pk])
    assert "<em>web-signup</em>" in client.get(url).content.decode()

    DataMapping.objects.filter(display_name="web-signup").update(display_name="signup-form")
    page = client.get(url).content.decode()
    assert "<em>signup-form</em>" in page and "<em>web-signup</em>" not in page


def panel_of(page: str) -> str:
    start = page.index('id="impact-panel"')
    return page[start : page.index("</section>", start)]


def test_the_builder_pages_panel_follows_a_saved_change_and_the_mappings_after_it_was_shown(
    client, operator, preferences
):
    """The panel's first markup is cached by content; a save or a mapping synced since is
    still news."""
    revision = drafts.start_edit(trait_group=preferences, author=operator)
    client.force_login(operator)
    url = reverse("traitgroups:revision", args=[revision.pk])
    assert "changes nothing" in panel_of(client.get(url).content.decode())

    edited = copy.deepcopy(revision.definition)
    del edited["traits"]["marketingOptIn"]
    drafts.save_draft(
        revision=revision, definition=edited, lock_version=revision.lock_version, actor=operator
    )
    panel = panel_of(client.get(url).content.decode())
    assert "changes nothing" not in panel
    assert "HIGH risk" in panel and "<em>web-signup</em>" in panel

    DataMapping.objects.filter(display_name="web-signup").update(display_name="signup-form")
    panel = panel_of(client.get(url).content.decode())
    assert "<em>signup-form</em>" in panel and "<em>web-signup</em>" not in panel
