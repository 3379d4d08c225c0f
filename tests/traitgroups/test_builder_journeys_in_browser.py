"""Builder journeys that used to go wrong: Enter in a field, big imports, typing fast,
the Check summary, an import error that outlives a good import."""

import contextlib
import json

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from memadmin.emulator.embedded import get_embedded_emulator
from tests.accessibility import blocking_violations

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


def test_importing_96_traits_after_resizing_a_box_sets_no_inline_style(builder):
    page = builder
    # What dragging a textarea's corner does: the browser styles the element itself.
    page.evaluate("() => { document.getElementById('f-description').style.height = '9rem'; }")
    traits = {f"trait{i}": {"dataType": "BOOLEAN"} for i in range(96)}
    page.get_by_label("JSON to import").fill(json.dumps({"displayName": "big", "traits": traits}))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#trait-counter")).to_have_text("96 of 95 traits")
    expect(page.locator("#trait-limit")).to_contain_text("at most 95 traits")
    # The page fixture fails the test on any Content-Security-Policy refusal; htmx used to
    # copy the old box's style attribute onto the new one while settling the swap.


def test_typing_while_a_preview_is_on_its_way_aborts_nothing_and_the_last_input_wins(builder):
    page = builder
    page.evaluate(
        """window.__previewTriggers = 0;
        document.body.addEventListener("htmx:confirm", function (event) {
          if (event.target.id === "json-preview") { window.__previewTriggers += 1; }
        });"""
    )
    held, failed = [], []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.route("**/builder/preview/", lambda route: held.append(route))
    name = page.get_by_label("Display name")
    with page.expect_request("**/builder/preview/"):
        name.fill("loyalty")
    name.fill("loyalty2")  # a preview is still on its way when this one is asked for
    page.wait_for_function("() => window.__previewTriggers >= 2")

    page.unroute("**/builder/preview/")
    for route in held:
        with contextlib.suppress(PlaywrightError):  # the page itself gave up on it
            route.continue_()

    expect(page.locator("#json-preview")).to_contain_text('"loyalty2"')
    assert not [url for url in failed if "/builder/preview/" in url]


def test_a_successful_import_clears_an_earlier_import_error(builder):
    page = builder
    box = page.get_by_label("JSON to import")
    box.fill('{"displayName": oops}')
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-errors")).to_contain_text("line 1")
    expect(page.get_by_label("JSON to import")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("JSON to import").fill(json.dumps({"displayName": "fixed", "traits": {}}))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_label("Display name")).to_have_value("fixed")
    expect(page.locator("#import-errors")).to_be_empty()
    expect(page.get_by_label("JSON to import")).not_to_have_attribute("aria-invalid", "true")


def fill_two_faulty_traits(page):
    """A draft with two problems in trait 2 and one warning in trait 1."""
    page.get_by_label("Display name").fill("loyalty")
    page.get_by_label("Trait name (trait 1)").fill("Tier")  # not lowerCamelCase: a warning
    page.get_by_role("button", name="Add trait").click()
    page.get_by_label("Pattern (trait 2)").fill("(unclosed")
    page.get_by_label("Max length (trait 2)").fill("many")


def test_check_lists_every_problem_at_the_top_and_each_link_leads_to_its_field(builder):
    page = builder
    fill_two_faulty_traits(page)
    page.get_by_role("button", name="Check").click()

    summary = page.get_by_test_id("check-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("3 problems to fix and 1 warning")
    links = summary.get_by_role("link")
    expect(links).to_have_count(4)
    expect(links.nth(0)).to_contain_text("Trait 2 name: Enter a trait name.")
    expect(links.nth(1)).to_contain_text("Trait 2 pattern: This regular expression does not")
    expect(links.nth(2)).to_contain_text("Trait 2 max length: Enter a whole number.")
    expect(links.nth(3)).to_contain_text("Warning: Trait 1 (Tier) name: Not lowerCamelCase")
    # A field nobody touched shows its message beside it too.
    expect(page.get_by_label("Trait name (trait 2)")).to_have_attribute("aria-invalid", "true")
    assert blocking_violations(page) == []

    links.nth(1).click()
    expect(page.get_by_label("Pattern (trait 2)")).to_be_focused()
    page.get_by_test_id("check-summary").get_by_role("link").nth(0).click()
    expect(page.get_by_label("Trait name (trait 2)")).to_be_focused()

    page.get_by_label("Trait name (trait 1)").fill("tier")
    page.get_by_label("Trait name (trait 2)").fill("points")
    page.get_by_label("Pattern (trait 2)").fill("^[0-9]+$")
    page.get_by_label("Max length (trait 2)").fill("12")
    page.get_by_role("button", name="Check").click()
    expect(summary.get_by_role("heading")).to_have_text("No problems found")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(0)


def test_check_without_javascript_posts_the_page_and_shows_the_same_summary(builder):
    page = builder
    page.route("**/*.js", lambda route: route.abort())  # as if no script could run
    page.reload()
    page.get_by_label("Display name").fill("loyalty")
    page.get_by_role("button", name="Add trait").click()  # posts the page, a second row
    page.get_by_label("Pattern (trait 2)").fill("(unclosed")
    page.get_by_role("button", name="Check").click()

    summary = page.get_by_test_id("check-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("3 problems to fix")
    expect(page.get_by_label("Pattern (trait 2)")).to_have_value("(unclosed")
    summary.get_by_role("link", name="Trait 2 pattern").click()
    expect(page.get_by_label("Pattern (trait 2)")).to_be_focused()
