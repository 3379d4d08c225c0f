"""A person building a trait group in chromium: live checks, rows, preview, import, limits."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from memadmin.emulator.embedded import get_embedded_emulator
from memadmin.stores.services import sync_store

pytestmark = pytest.mark.browser


@pytest.fixture
def builder(signed_in_page, live_server):
    page = signed_in_page("Operator")
    store_id = get_embedded_emulator().store_ids[0]
    page.goto(live_server.url + reverse("traitgroups:new", args=[store_id]))
    return page


def preview_body(page):
    return json.loads(page.locator("#json-preview").text_content())


def test_a_bad_display_name_is_marked_invalid_live_and_clears_when_fixed(builder):
    page = builder
    loads = []
    page.on("load", lambda _: loads.append(1))
    name = page.get_by_label("Display name")
    name.fill("bad name!")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#m-displayName")).to_contain_text("Use only letters, digits")
    assert name.get_attribute("aria-describedby").split()[-1] == "m-displayName"
    name.fill("good-name")
    expect(name).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#m-displayName")).to_be_empty()
    assert loads == []


def test_a_name_already_in_the_store_is_refused_live(builder):
    page = builder
    sync_store(store_id=get_embedded_emulator().store_ids[0])  # what the background sync does
    page.reload()
    page.get_by_label("Display name").fill("Contact")
    expect(page.locator("#m-displayName")).to_contain_text("already exists in this store")


def test_three_traits_added_and_one_removed_show_the_exact_body(builder):
    page = builder
    page.get_by_label("Display name").fill("loyalty")
    for _ in range(2):
        page.get_by_role("button", name="Add trait").click()
    expect(page.locator(".trait-row")).to_have_count(3)
    expect(page.locator("#trait-counter")).to_have_text("3 of 95 traits")
    names = page.get_by_label("Trait name")
    for index, name in enumerate(["tier", "points", "memberSince"]):
        names.nth(index).fill(name)
    page.get_by_label("Data type").nth(1).select_option("NUMBER")
    expect(page.get_by_label("Min", exact=False).nth(1)).to_be_visible()
    page.get_by_label("Max (trait 2)").fill("1000")
    page.get_by_role("button", name="Remove trait 1").click()
    expect(page.locator(".trait-row")).to_have_count(2)
    expect(page.locator("#trait-counter")).to_have_text("2 of 95 traits")
    expected = {
        "displayName": "loyalty",
        "traits": {
            "points": {"dataType": "NUMBER", "validationRule": {"ruleType": "NUMBER", "max": 1000}},
            "memberSince": {"dataType": "STRING"},
        },
    }
    expect(page.locator("#json-preview")).to_have_text(json.dumps(expected, indent=2))


def test_a_preview_answered_after_a_removal_does_not_bring_the_removed_trait_back(builder):
    """The preview posts the form on its own. One sent while a Remove was still on its way
    can be answered after the removal's own refresh of it: it must not have the last word
    (the page would show, and Copy would copy, a body with the removed trait)."""
    page = builder
    page.get_by_label("Display name").fill("loyalty")
    page.get_by_role("button", name="Add trait").click()
    names = page.get_by_label("Trait name")
    names.nth(0).fill("tier")
    with page.expect_response("**/builder/preview/"):  # no preview left to come from typing
        names.nth(1).fill("points")
    preview = page.locator("#json-preview")
    expect(preview).to_contain_text('"points"')
    held_previews, held_removals = [], []

    def hold_previews_with_tier(route):
        if '"tier"' in (route.request.post_data or ""):
            held_previews.append(route)
        else:
            route.continue_()

    page.route("**/builder/preview/", hold_previews_with_tier)
    page.route("**/builder/remove/**", lambda route: held_removals.append(route))
    # Leaving the name field sends a preview of both rows; the Remove is on its way.
    page.get_by_role("button", name="Remove trait 1").click()
    for _ in range(100):  # until both are caught (routes run while the page is waited on)
        if held_previews and held_removals:
            break
        page.wait_for_timeout(50)
    assert len(held_previews) == 1 and len(held_removals) == 1
    held_removals[0].continue_()
    expect(page.locator("#trait-counter")).to_have_text("1 of 95 traits")
    page.evaluate(
        """window.previewAnswers = 0;
        document.getElementById("json-preview").addEventListener(
            "htmx:afterSwap", () => { window.previewAnswers += 1; });"""
    )
    held_previews[0].continue_()  # the preview sent before the removal is answered last
    page.wait_for_function("() => window.previewAnswers >= 1")
    expected = {"displayName": "loyalty", "traits": {"points": {"dataType": "STRING"}}}
    expect(preview).to_have_text(json.dumps(expected, indent=2))


def test_switching_the_data_type_swaps_the_rule_fields(builder):
    page = builder
    row = page.locator(".trait-row").first
    expect(row.get_by_label("Pattern")).to_be_visible()
    expect(row.get_by_label("Min length")).to_be_visible()
    row.get_by_label("Data type").select_option("ARRAY")
    expect(row.get_by_label("Min items")).to_be_visible()
    expect(row.get_by_label("Max items")).to_be_visible()
    expect(row.get_by_label("Pattern")).to_have_count(0)
    row.get_by_label("Data type").select_option("BOOLEAN")
    expect(row.get_by_text("Boolean traits take no validation rule")).to_be_visible()
    expect(row.locator(".rule-fields input")).to_have_count(0)
    row.get_by_label("Data type").select_option("NUMBER")
    expect(row.get_by_label("Min", exact=True)).to_have_count(0)  # labels carry the row
    expect(row.get_by_label("Min (trait 1)")).to_be_visible()
    row.get_by_label("Min (trait 1)").fill("10")
    row.get_by_label("Max (trait 1)").fill("5")
    expect(row.get_by_label("Max (trait 1)")).to_have_attribute("aria-invalid", "true")
    expect(row.locator("#m-traits-0-max")).to_contain_text("Must be at least min")


def test_importing_a_sample_fills_the_builder(builder):
    page = builder
    sample = {
        "traitGroup": {
            "displayName": "imported",
            "description": "From a file",
            "traits": {
                "email": {"dataType": "STRING", "idTypePromotion": "email"},
                "score": {"dataType": "NUMBER", "validationRule": {"ruleType": "NUMBER", "min": 0}},
            },
            "version": 3,
        }
    }
    page.get_by_label("JSON to import").fill('{\n  "displayName": oops\n}')
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-errors")).to_contain_text("line 2, column 18")
    page.get_by_label("JSON to import").fill(json.dumps(sample))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_label("Display name")).to_have_value("imported")
    expect(page.locator(".trait-row")).to_have_count(2)
    expect(page.locator("#trait-counter")).to_have_text("2 of 95 traits")
    expect(page.get_by_label("Min (trait 2)")).to_have_value("0")
    body = {k: v for k, v in sample["traitGroup"].items() if k != "version"}
    expect(page.locator("#json-preview")).to_have_text(json.dumps(body, indent=2))


def test_a_95_trait_group_is_accepted_and_the_96th_add_is_refused(builder):
    page = builder
    traits = {f"trait{i}": {"dataType": "BOOLEAN"} for i in range(95)}
    page.get_by_label("JSON to import").fill(json.dumps({"displayName": "big", "traits": traits}))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#trait-counter")).to_have_text("95 of 95 traits")
    page.get_by_role("button", name="Add trait").click()
    expect(page.locator("#trait-limit")).to_contain_text("at most 95 traits")
    expect(page.locator(".trait-row")).to_have_count(95)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_contain_text("Draft")
    expect(page.locator(".trait-row")).to_have_count(95)
    expect(page.locator("#toasts")).to_contain_text("Draft saved.")


def test_the_builder_works_from_the_keyboard(builder):
    page = builder
    page.get_by_label("Display name").focus()
    page.keyboard.type("keyboard-only")
    add = page.get_by_role("button", name="Add trait")
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".trait-row")).to_have_count(2)
    expect(page.get_by_label("Trait name (trait 2)")).to_be_focused()
    page.keyboard.type("second")
    expect(page.locator("#json-preview")).to_contain_text('"second"')
