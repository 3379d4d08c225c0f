"""A person signs in through the real login page and finds the layout they expect."""

import pytest

pytestmark = pytest.mark.browser


def test_the_demo_operator_signs_in_and_sees_who_they_are(signed_in_page, live_server):
    page = signed_in_page("Operator", username="operator")
    assert page.get_by_role("heading", name="Welcome, operator").is_visible()
    assert page.locator(".whoami").inner_text().startswith("operator")
    assert "Operator" in page.locator(".whoami").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_pages_carry_a_strict_content_security_policy(page, live_server, db):
    response = page.goto(f"{live_server.url}/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    page.reload()
    assert [text for text in violations if "Content Security" in text] == []
