"""An Auditor filters the audit log by action and opens an event to see what changed."""

import re

import pytest
from playwright.sync_api import expect

from memadmin.audit import services

pytestmark = pytest.mark.browser


def test_an_auditor_filters_by_action_and_opens_an_event(signed_in_page, live_server):
    page = signed_in_page("Auditor")
    services.record(action="traitgroup.created", store_id="MS1", trait_group="Loyalty")
    submitted = services.record(
        action="traitgroup.submitted",
        store_id="MS1",
        trait_group="Loyalty",
        before={"displayName": "Loyalty"},
        after={"displayName": "Loyalty points"},
    )
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content" in msg.text else None)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    results = page.get_by_role("region", name="Audit events")
    expect(results.get_by_role("link", name="traitgroup.created")).to_be_visible()

    page.get_by_label("Action").fill("traitgroup.submitted")
    page.get_by_role("button", name="Apply filters").click()
    expect(results.get_by_role("link", name="traitgroup.created")).to_have_count(0)
    expect(results.get_by_role("row")).to_have_count(2)  # the header and one event
    expect(page).to_have_url(re.compile(r"action=traitgroup\.submitted"))

    results.get_by_role("link", name="traitgroup.submitted").click()
    expect(
        page.get_by_role("heading", name=f"Event {submitted.pk}: traitgroup.submitted")
    ).to_be_visible()
    changes = page.get_by_role("table", name="Changes between before and after")
    expect(changes.get_by_role("row", name=re.compile("displayName changed"))).to_be_visible()
    expect(changes).to_contain_text('"Loyalty points"')
    expect(page.get_by_text(submitted.hash)).to_be_visible()
    assert violations == []
