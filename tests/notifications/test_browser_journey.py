"""An operator submits in chromium; the reviewer's mailbox gets a link that opens the review."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from memadmin.traitgroups import services as drafts
from tests.fakes import USER_PASSWORD

pytestmark = pytest.mark.browser

LOYALTY = {"displayName": "Loyalty", "traits": {"tier": {"dataType": "STRING"}}}


def sign_in(page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_reviewers_email_links_straight_to_the_review(
    transactional_db, browser, live_server, mailbox, person, settings, store_id
):
    settings.MEMADMIN_BASE_URL = live_server.url
    olga = person("Operator", "olga")
    person("Reviewer", "rita")
    revision = drafts.create_draft(store_id=store_id, definition=LOYALTY, author=olga)

    operator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    operator.goto(live_server.url + revision.get_absolute_url())
    sign_in(operator, "olga")
    operator.get_by_role("button", name="Submit for review").click()
    expect(operator.get_by_test_id("state")).to_have_text("In review")
    operator.context.close()

    # The background worker, as `make run` starts it, sends the outbox.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    [message] = mailbox.to("rita@example.com")
    assert mailbox.recipients == ["rita@example.com"]
    link = re.search(r"Open it: (\S+)", message.get_content()).group(1)
    assert link == f"{live_server.url}/reviews/{revision.pk}/"

    reviewer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reviewer.goto(link)
    sign_in(reviewer, "rita")
    expect(reviewer).to_have_url(link)
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text("Loyalty")
    expect(reviewer.get_by_role("button", name="Approve")).to_be_visible()
    reviewer.context.close()
