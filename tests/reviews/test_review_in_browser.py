"""A reviewer, in chromium, finds a revision in their inbox, reads what breaks, approves it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_reviewer_sees_the_breaking_changes_and_approves(
    transactional_db, signed_in_page, live_server, in_review
):
    page = signed_in_page("Reviewer", username="rita")
    page.goto(live_server.url + reverse("reviews:inbox"))
    waiting = page.get_by_role("region", name="Waiting for your review")
    waiting.get_by_role("link", name="Customer").click()

    breaking = page.get_by_role("region", name="Breaking changes")
    expect(breaking.get_by_role("listitem")).to_have_count(3)
    expect(breaking).to_contain_text("Trait 'street' is removed")
    expect(breaking).to_contain_text("Trait 'postalCode': pattern added")
    expect(breaking).to_contain_text("maxLength added")
    live = page.get_by_role("region", name="Against the live definition")
    expect(live.locator("tr.diff-removed")).to_contain_text("street")
    expect(live.locator("tr.diff-added")).to_contain_text("nickname")

    # postalCode's new pattern is not sampled yet: HIGH risk, two approvals.
    impact = page.get_by_role("region", name="Impact and risk")
    expect(impact.get_by_test_id("risk-tier")).to_contain_text("HIGH risk")
    page.get_by_label("Review comment").fill("Checked with billing: street is unused.")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("state")).to_have_text("In review")
    expect(page.get_by_role("region", name="Review")).to_contain_text("1 of 2 approvals")
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)

    review_url = page.url
    page.context.clear_cookies()
    page = signed_in_page("Reviewer", username="rob")
    page.goto(review_url)
    page.get_by_role("button", name="Approve").click()

    expect(page.get_by_test_id("state")).to_have_text("Approved")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_role("button", name="Publish")).to_be_visible()
    expect(page.get_by_role("region", name="Comments")).to_contain_text("Checked with billing")


def test_a_reviewer_publishes_two_approved_groups_at_once_and_watches_them_complete(
    transactional_db, signed_in_page, live_server, approve_new
):
    for name in ("Loyalty", "Billing", "Later"):
        approve_new(name)
    page = signed_in_page("Reviewer", username="rita")
    page.goto(live_server.url + reverse("reviews:inbox"))
    ready = page.get_by_role("region", name="Approved, ready to publish")
    ready.get_by_label("Publish Loyalty").check()
    ready.get_by_label("Publish Billing").check()
    ready.get_by_role("button", name="Publish selected").click()

    expect(page.get_by_role("heading", name="Sent 2 of 2 to Twilio")).to_be_visible()
    outcomes = page.get_by_role("table")
    expect(outcomes.get_by_role("row")).to_have_count(3)  # the header and two groups
    for name in ("Loyalty", "Billing"):
        row = outcomes.get_by_role("row").filter(has_text=name)
        expect(row.get_by_role("status")).to_have_text("Completed", timeout=10_000)

    page.goto(live_server.url + reverse("reviews:inbox"))
    expect(page.get_by_role("region", name="Approved, ready to publish")).to_contain_text("Later")
    expect(page.get_by_label("Publish Loyalty")).to_have_count(0)


def test_reloading_the_bulk_publish_result_shows_it_again_without_resending(
    transactional_db, signed_in_page, live_server, approve_new
):
    for name in ("Loyalty", "Billing"):
        approve_new(name)
    page = signed_in_page("Reviewer", username="rita")
    page.goto(live_server.url + reverse("reviews:inbox"))
    ready = page.get_by_role("region", name="Approved, ready to publish")
    ready.get_by_label("Publish Loyalty").check()
    ready.get_by_label("Publish Billing").check()
    ready.get_by_role("button", name="Publish selected").click()
    expect(page.get_by_role("heading", name="Sent 2 of 2 to Twilio")).to_be_visible()

    page.reload()

    expect(page.get_by_role("heading", name="Sent 2 of 2 to Twilio")).to_be_visible()
    expect(page.get_by_text("Nothing was sent")).to_have_count(0)
    outcomes = page.get_by_role("table")
    for name in ("Loyalty", "Billing"):
        row = outcomes.get_by_role("row").filter(has_text=name)
        expect(row.get_by_role("status")).to_have_text("Completed", timeout=10_000)
