"""The whole journey in chromium: an operator builds a group and submits it, a reviewer
approves and publishes it, and the group's page shows it live with its operation and history."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from memadmin.emulator.embedded import get_embedded_emulator, reset_embedded_emulator

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def quick_emulator(settings):
    settings.MEMORY_API_URL = "emulator"
    settings.EMULATOR_STEP_SECONDS = 0.2
    reset_embedded_emulator()  # so that the step above takes effect
    yield
    reset_embedded_emulator()


def test_an_operator_builds_a_group_a_reviewer_publishes_it_and_it_is_live(
    signed_in_page, live_server
):
    page = signed_in_page("Operator", username="olga")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Stores").click()
    page.get_by_role("link", name="sandbox").click()
    expect(page.get_by_role("heading", name="Trait groups of sandbox")).to_be_visible()
    expect(page.get_by_label("Sync status")).to_contain_text("Syncing")  # never blocks the page

    page.get_by_role("link", name="New trait group").click()
    page.get_by_label("Display name").fill("loyalty")
    page.get_by_role("button", name="Add trait").click()
    names = page.get_by_label("Trait name")
    names.nth(0).fill("tier")
    names.nth(1).fill("points")
    page.get_by_label("Data type").nth(1).select_option("NUMBER")
    page.get_by_role("button", name="Save draft").click()
    try:
        page.wait_for_url(re.compile(r"/groups/revisions/\d+/$"))
    except PlaywrightTimeoutError:
        # Once in many loaded runs the save was refused (422) for a reason nobody saw.
        problems = page.locator(".alert-error, .error-message").all_text_contents()
        raise AssertionError(f"Save draft was refused: {problems}") from None
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    review_url = page.url

    page.context.clear_cookies()  # the operator leaves; a reviewer signs in (four eyes)
    page = signed_in_page("Reviewer", username="rita")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name="loyalty").first.click()
    assert page.url == review_url
    page.get_by_role("button", name="Approve").click()
    with page.expect_navigation():  # the publish form posts and comes back here
        page.get_by_role("button", name="Publish").click()
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    badge = page.locator(".op-badge").first
    expect(badge).to_have_attribute("data-status", "COMPLETED", timeout=15_000)
    # The revision's own state follows the operation, with no reload.
    expect(page.get_by_test_id("state")).to_have_text("Published")
    assert loads == []

    store_id = get_embedded_emulator().store_ids[0]
    page.goto(f"{live_server.url}/stores/{store_id}/groups/loyalty/")
    expect(page.get_by_role("heading", name="loyalty")).to_be_visible()
    definition = page.locator("#definition")
    expect(definition.get_by_text("tier", exact=True)).to_be_visible()
    expect(definition.get_by_text("points", exact=True)).to_be_visible()
    operations = page.locator("#operations")
    expect(operations.locator(".op-badge")).to_have_attribute("data-status", "COMPLETED")
    history = page.locator("#history")
    expect(history.get_by_text("traitgroup.published")).to_be_visible()
    expect(history.get_by_text("review.approved")).to_be_visible()
