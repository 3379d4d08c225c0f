"""The audit log's "Store / trait group" column breaks names between words, never inside a
word that fits; a store id, which has no space, still never widens a phone's page."""

import pytest

from memadmin.audit import services
from memadmin.stores import selectors as stores
from tests.fakes import SANDBOX

pytestmark = pytest.mark.browser

# Targets and summaries long enough to take every pixel the table will give them.
LONG_SUMMARY = "added: description, displayName, " + ", ".join(
    f"traits.marketingOptIn{n}.description" for n in range(4)
)
# How many lines the word "Preferences" takes in each store cell that names it.
LINES_OF_PREFERENCES = """() => Array.from(document.querySelectorAll(".audit-events .col-store"))
  .flatMap((cell) => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const lines = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf("Preferences");
      if (at < 0) continue;
      const word = document.createRange();
      word.setStart(node, at);
      word.setEnd(node, at + "Preferences".length);
      lines.push(new Set(Array.from(word.getClientRects(), (rect) => rect.top)).size);
    }
    return lines;
  })"""


@pytest.fixture
def preferences_events(instant_emulator):
    stores.stores()  # Twilio has named the store: its cells say "sandbox", a short word
    for action in ("traitgroup.draft_created", "review.submitted"):
        services.record(
            action=action,
            store_id=SANDBOX,
            trait_group="Preferences",
            target_label="Revision 12 of Preferences, where marketing keeps every consent",
            detail=LONG_SUMMARY,
        )


def test_a_group_name_that_fits_is_never_broken_at_desktop_width(
    preferences_events, signed_in_page, live_server
):
    page = signed_in_page("Auditor")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/audit/")

    assert page.evaluate(LINES_OF_PREFERENCES) == [1, 1]


def test_a_store_id_stays_inside_its_card_at_phone_width(signed_in_page, live_server):
    unnamed = "mem_store_" + "7" * 26  # no list has named it: the cell shows the id
    services.record(action="store.synced", store_id=unnamed, trait_group="Preferences")
    page = signed_in_page("Auditor")
    page.set_viewport_size({"width": 390, "height": 900})

    page.goto(f"{live_server.url}/audit/")

    cell = page.locator(".audit-events .col-store", has_text=unnamed)
    assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") == 390
