"""axe-core over the main pages of every role: no serious or critical violation anywhere."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.accessibility import blocking_violations

pytestmark = pytest.mark.browser

# Admin reaches every page; the other roles are checked where their pages differ (their
# home, their inbox, the buttons of a review and a group list, the builder for operators).
PAGES_OF_ROLE = {
    "Operator": {"home", "reviews", "review in progress", "group list", "builder", "draft"},
    "Reviewer": {"home", "reviews", "review in progress", "published revision", "group"},
    "Auditor": {"home", "reviews", "audit log", "audit event", "operations", "draft"},
}


@pytest.mark.parametrize("role", ["Operator", "Reviewer", "Auditor", "Admin"])
def test_the_main_pages_of_each_role_have_no_serious_accessibility_violation(
    role, main_pages, signed_in_page, live_server
):
    page = signed_in_page(role, username=f"a11y-{role.lower()}")
    axe = Axe()
    found, visited = [], []
    for name, path in main_pages.items():
        if role in PAGES_OF_ROLE and name not in PAGES_OF_ROLE[role]:
            continue
        response = page.goto(live_server.url + path)
        if response.status == 403:
            continue  # not one of this role's pages
        assert response.status == 200, f"{name}: {response.status}"
        visited.append(name)
        found += [f"{name}: {violation}" for violation in blocking_violations(page, axe)]
    assert {"home", "reviews"} <= set(visited)
    assert found == []
