"""The review page follows its publishing operation to the end, with no reload, however
long Twilio takes: the status chip survives a RUNNING answer and keeps asking."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from memadmin.emulator.embedded import get_embedded_emulator

pytestmark = pytest.mark.browser

STEP = 1.0  # seconds of the emulator's own clock an operation spends PENDING, then RUNNING


@pytest.fixture
def twilio_clock():
    """The emulator's clock, moved only by the test: Twilio answers RUNNING when told to.

    It changes the running emulator rather than a new one, so groups that fixtures listed
    before it created (and settled) stay there.
    """
    emulator = get_embedded_emulator()
    emulator.step_seconds = STEP
    now = [1_900_000_000.0]
    emulator.clock = lambda: now[0]

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def test_the_review_page_reaches_published_on_its_own_across_ten_publishes(
    transactional_db, twilio_clock, signed_in_page, live_server, approve_new
):
    revisions = [approve_new(f"Loyalty{number}") for number in range(10)]
    page = signed_in_page("Reviewer", username="rita")
    for revision in revisions:
        page.goto(live_server.url + reverse("reviews:revision", args=[revision.pk]))
        with page.expect_navigation():
            page.get_by_role("button", name="Publish").click()
        page.evaluate("window.__notReloaded = true")
        chip = page.locator("#revision-header .op-badge")
        twilio_clock(STEP)  # the first status check finds the operation RUNNING
        expect(chip).to_have_attribute("data-status", "RUNNING")
        twilio_clock(STEP)
        expect(page.get_by_test_id("state")).to_have_text("Published")
        expect(chip).to_have_text("Completed")
        assert page.evaluate("window.__notReloaded === true")


def test_the_operation_page_follows_a_running_operation_to_completed(
    transactional_db, approved, twilio_clock, signed_in_page, live_server
):
    page = signed_in_page("Reviewer", username="rita")
    page.goto(live_server.url + reverse("reviews:revision", args=[approved.pk]))
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    page.get_by_role("link", name="details").click()
    badge = page.locator("h1 .op-badge")
    twilio_clock(STEP)
    expect(badge).to_have_attribute("data-status", "RUNNING")
    twilio_clock(STEP)
    expect(badge).to_have_text("Completed")
