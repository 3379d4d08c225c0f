"""In chromium: an operator restores an earlier version from the group's history page, a
reviewer approves and publishes it, and the group is back as it was."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from memadmin.memory_api.client import memory_api_client

pytestmark = pytest.mark.browser

V1 = {
    "displayName": "Loyalty",
    "description": "",
    "traits": {"tier": {"dataType": "STRING"}},
}
V2 = {
    "displayName": "Loyalty",
    "description": "",
    "traits": {"tier": {"dataType": "STRING"}, "points": {"dataType": "NUMBER"}},
}


def test_an_operator_restores_version_1_a_reviewer_publishes_it_and_the_group_is_back(
    transactional_db, signed_in_page, live_server, publish, store_id
):
    publish(V1)
    publish(V2)
    page = signed_in_page("Operator", username="olga")
    page.goto(live_server.url + reverse("traitgroups:detail", args=[store_id, "Loyalty"]))
    page.get_by_role("link", name="History", exact=True).click()

    expect(page.get_by_role("heading", name="History of Loyalty")).to_be_visible()
    versions = page.get_by_role("region", name="Versions")
    expect(versions.get_by_role("row").filter(has_text="Version 2")).to_contain_text("live")
    expect(page.get_by_role("region", name="From version 1 to version 2")).to_contain_text("points")
    expect(versions.get_by_role("button", name="Restore version 2")).to_have_count(0)
    versions.get_by_role("button", name="Restore version 1").click()
    page.wait_for_url(re.compile(r"/groups/revisions/\d+/$"))
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text(
        "restores version 1"
    )
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    review_url = page.url

    page.context.clear_cookies()  # four eyes: a reviewer takes it from here
    page = signed_in_page("Reviewer", username="rita")
    page.goto(review_url)
    live = page.get_by_role("region", name="Against the live definition")
    expect(live.locator("tr.diff-removed")).to_contain_text("points")
    page.get_by_role("button", name="Approve").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    expect(page.locator(".op-badge").first).to_have_attribute(
        "data-status", "COMPLETED", timeout=15_000
    )
    expect(page.get_by_test_id("state")).to_have_text("Published")

    fetched = memory_api_client().fetch_trait_group(store_id, "Loyalty")
    assert (fetched.version, fetched.traits) == (3, V1["traits"])
    page.goto(live_server.url + reverse("history:group", args=[store_id, "Loyalty"]))
    newest = page.get_by_role("region", name="Versions").get_by_role("row").nth(1)
    expect(newest).to_contain_text("Version 3")
    expect(newest).to_contain_text("Published by memadmin")
    expect(newest).to_contain_text("rita")
