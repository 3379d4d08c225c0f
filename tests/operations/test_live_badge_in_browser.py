"""A person publishes a group and watches its badge go from Pending to Completed, no reload."""

import pytest
from playwright.sync_api import expect

from memadmin.emulator.embedded import reset_embedded_emulator
from memadmin.memory_api import reset_memory_api_client
from memadmin.reviews import publishing
from memadmin.traitgroups.models import TraitGroupRevision
from tests.operations.conftest import definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def embedded_emulator(settings):
    settings.EMULATOR_STEP_SECONDS = 1.0  # PENDING 1 s, RUNNING 1 s, then COMPLETED
    reset_embedded_emulator()
    reset_memory_api_client()
    yield
    reset_embedded_emulator()
    reset_memory_api_client()


def test_the_badge_goes_from_pending_to_completed_without_a_reload(
    embedded_emulator, signed_in_page, live_server, reviewer
):
    page = signed_in_page("Operator")
    from memadmin.emulator.embedded import get_embedded_emulator

    revision = TraitGroupRevision.objects.create(
        store_id=get_embedded_emulator().store_ids[0],
        definition=definition("BrowserLoyalty"),
        state=TraitGroupRevision.State.APPROVED,
        author=reviewer,
    )
    operation = publishing.publish_revision(revision=revision, actor=reviewer)
    page.goto(f"{live_server.url}/operations/{operation.pk}/")
    page.evaluate("window.__memadminMarker = 'no reload'")

    badge = page.locator("h1 .op-badge")
    expect(badge).to_have_text("Pending")
    expect(badge).to_have_text("Completed", timeout=10_000)

    expect(page.locator(".toast", has_text="Create of BrowserLoyalty completed.")).to_be_visible()
    assert page.evaluate("window.__memadminMarker") == "no reload"
    assert badge.get_attribute("hx-trigger") is None  # polling stopped by itself
    revision.refresh_from_db()
    assert revision.state == TraitGroupRevision.State.PUBLISHED
