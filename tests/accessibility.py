"""axe-core in a Playwright page, for the accessibility sweep and for journeys that bring
up something the sweep's pages do not show (the builder's Check summary)."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}
# Experimental rules are off by default; this one caught buttons named unlike their text.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def blocking_violations(page, axe: Axe | None = None) -> list[str]:
    """The serious and critical axe violations of the page as it is now, in words."""
    found = []
    for violation in (axe or Axe()).run(page, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"{violation['id']} ({violation['impact']}) at {targets}")
    return found
