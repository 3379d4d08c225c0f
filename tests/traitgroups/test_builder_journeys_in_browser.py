"""Builder journeys that used to go wrong: Enter in a field, big imports, typing fast,
the Check summary, an import error that outlives a good import."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from memadmin.emulator.embedded import get_embedded_emulator

pytestmark = pytest.mark.browser


@pytest.fixture
def builder(signed_in_page, live_server):
    page = signed_in_page("Operator")
    store_id = get_embedded_emulator().store_ids[0]
    page.goto(live_server.url + reverse("traitgroups:new", args=[store_id]))
    return page


def test_enter_in_the_display_name_does_not_duplicate_a_trait(builder):
    page = builder
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.get_by_label("Trait name").fill("alpha")
    name = page.get_by_label("Display name")
    name.fill("loyalty")
    name.press("Enter")
    expect(page.locator("#json-preview")).to_contain_text('"loyalty"')
    expect(page.locator(".trait-row")).to_have_count(1)
    expect(page.get_by_label("Trait name")).to_have_value("alpha")
    assert not [text for text in console if "htmx:" in text]


def test_importing_96_traits_sets_no_inline_style(builder):
    page = builder
    traits = {f"trait{i}": {"dataType": "BOOLEAN"} for i in range(96)}
    page.get_by_label("JSON to import").fill(json.dumps({"displayName": "big", "traits": traits}))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#trait-counter")).to_have_text("96 of 95 traits")
    expect(page.locator("#trait-limit")).to_contain_text("at most 95 traits")
    # The page fixture fails the test on any Content-Security-Policy refusal.
