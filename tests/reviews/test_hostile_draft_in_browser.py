"""A draft whose every text field carries hx-* markup, opened and edited in chromium by
an Admin and a Reviewer: no request leaves the page that the person did not make
(issue 15: the builder preview once turned such a description into a live approval)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from memadmin.reviews import steps, workflow
from memadmin.reviews.models import Review
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroupRevision
from tests.url_inventory import SAMPLE_STORE_ID

pytestmark = pytest.mark.browser


def markup(approve_url: str) -> str:
    return (
        f'<div hx-post="{approve_url}" hx-trigger="load">a</div>'
        '<b hx-get="/evil/" hx-trigger="load, every 1s">b</b>'
        '<img src="/evil.png" hx-get="/evil/img/" hx-trigger="revealed">'
    )


def hostile_draft(author):
    revision = traitgroup_services.create_draft(
        store_id=SAMPLE_STORE_ID, definition={"displayName": "x"}, author=author
    )
    text = markup(reverse("reviews:approve", args=[revision.pk]))
    definition = {
        "displayName": text,
        "description": text,
        "traits": {
            text: {
                "dataType": "STRING",
                "description": text,
                "idTypePromotion": text,
                "validationRule": {"ruleType": "STRING", "pattern": text},
            },
            "plain": {"dataType": "STRING", "description": text},
        },
    }
    return traitgroup_services.save_draft(
        revision=revision, definition=definition, lock_version=revision.lock_version, actor=author
    )


class RequestLog:
    """Every request the page sends, by method and path."""

    def __init__(self, page, base_url):
        self.base_url = base_url
        self.seen: list[tuple[str, str]] = []
        page.on("request", lambda request: self.seen.append((request.method, request.url)))

    def unexpected(self, *allowed_post_paths: str) -> list[tuple[str, str]]:
        def made_by_the_person(method: str, url: str) -> bool:
            if "evil" in url or "/approve/" in url or not url.startswith(self.base_url):
                return False
            path = url.removeprefix(self.base_url)
            return method == "GET" or any(re.match(p, path) for p in allowed_post_paths)

        return [(method, url) for method, url in self.seen if not made_by_the_person(method, url)]


def test_a_hostile_draft_edited_by_an_admin_and_a_reviewer_sends_only_their_requests(
    transactional_db, signed_in_page, live_server, make_user
):
    author = make_user("Operator", username="olga")
    draft = hostile_draft(author)

    page = signed_in_page("Admin", username="ada")
    log = RequestLog(page, live_server.url)
    page.goto(live_server.url + reverse("traitgroups:revision", args=[draft.pk]))
    description = page.get_by_label("Description", exact=True)
    description.press("Control+End")
    description.type("!")
    expect(page.locator("#json-preview")).to_contain_text('hx-trigger=\\"revealed\\">!')
    trait_description = page.get_by_label("Trait description (trait 2)")
    trait_description.press("End")
    trait_description.type(" more")
    expect(page.locator("#json-preview")).to_contain_text('revealed\\"> more')
    page.wait_for_timeout(1500)  # an "every 1s" trigger, were it live, would have fired
    assert log.unexpected(r"/stores/.*/builder/(validate|preview)/", r"/impact/.*/builder/") == []

    # Twilio would refuse these names, so submit_for_review would too; a round is opened
    # directly, as if the markup had hidden in fields the builder lets through.
    workflow.transition(draft, TraitGroupRevision.State.IN_REVIEW, actor=author)
    steps.start_round(draft, actor=author)
    page.context.clear_cookies()
    page = signed_in_page("Reviewer", username="rita")
    log = RequestLog(page, live_server.url)
    page.goto(live_server.url + reverse("reviews:revision", args=[draft.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text('<div hx-post="')
    page.get_by_label("Comment", exact=True).fill(markup("/reviews/1/approve/"))
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("region", name="Comments")).to_contain_text("hx-get=")
    page.wait_for_timeout(1500)
    assert log.unexpected(r"/reviews/\d+/comment/") == []
    assert not Review.objects.exists()
