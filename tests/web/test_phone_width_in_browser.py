"""At phone width (390 px) no page is wider than the screen: wide tables scroll inside their
card; at 1280 px nothing scrolls sideways either (the audit table included)."""

import pytest

pytestmark = pytest.mark.browser

# Every element whose right edge passes the viewport, outside a scrolling container.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScroller(el))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""));
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_main_page_is_wider_than_the_screen(width, main_pages, signed_in_page, live_server):
    page = signed_in_page("Admin", username="ada")
    page.set_viewport_size({"width": width, "height": 900})
    wide = {}
    for name, path in main_pages.items():
        page.goto(live_server.url + path)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[name] = (scroll_width, page.evaluate(OVERFLOWING))
    assert wide == {}, "\n".join(f"{k}: {v}" for k, v in wide.items())
