"""The impact journey in chromium: an operator tightens a rule that live values break and
removes a trait a data mapping writes; the builder shows the impact as they edit; after a
dry run the reviewer sees HIGH risk with the sampled count, and one approval is not enough."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from memadmin.dryrun.models import DryRun
from memadmin.dryrun.sampling import run_dry_run
from memadmin.emulator.embedded import reset_embedded_emulator
from memadmin.memory_api import reset_memory_api_client
from tests.accessibility import blocking_violations
from tests.dryrun.fakes import emulator_client
from tests.fakes import store_with_live_preferences

pytestmark = pytest.mark.browser


@pytest.fixture
def preferences_live(transactional_db, settings):
    """The demo group Preferences live in a synced sandbox, whose seeded mappings
    `web-signup` (preferredChannel, marketingOptIn) and `support-preferences` write it."""
    settings.DRY_RUN_SAMPLE_SIZE = 200  # enough to meet voice and whatsapp customers
    yield store_with_live_preferences(settings)
    reset_embedded_emulator()
    reset_memory_api_client()


def olga_edits_preferences(store_id, signed_in_page, live_server):
    """The operator olga opens live Preferences and presses Edit: the builder of a draft."""
    page = signed_in_page("Operator", username="olga")
    page.goto(live_server.url + reverse("traitgroups:detail", args=[store_id, "Preferences"]))
    page.get_by_role("button", name="Edit").click()
    page.wait_for_url(re.compile(r"/groups/revisions/\d+/$"))
    return page


def test_the_reviewer_sees_high_risk_with_sampled_violations_and_one_approval_is_not_enough(
    preferences_live, signed_in_page, live_server
):
    page = olga_edits_preferences(preferences_live, signed_in_page, live_server)
    impact = page.get_by_role("region", name="Impact and risk")
    expect(impact.get_by_test_id("risk-tier")).to_contain_text("LOW risk")

    # Tighten preferredChannel: voice and whatsapp are no longer accepted. Rows are found by
    # trait name: PostgreSQL's jsonb keeps a definition's traits in its own key order.
    row = page.locator("fieldset.trait-row", has=page.locator('input[value="preferredChannel"]'))
    row.get_by_label(re.compile(r"^Pattern")).fill("^(sms|email)$")
    expect(impact.get_by_test_id("risk-tier")).to_contain_text("HIGH risk")
    expect(impact.get_by_test_id("not-sampled")).to_contain_text("preferredChannel")
    expect(impact).to_contain_text("tightens the rule of preferredChannel")

    # Remove marketingOptIn, which the web-signup mapping writes.
    page.get_by_role("button", name=re.compile(r"^Remove trait \d+ \(marketingOptIn\)")).click()
    expect(impact).to_contain_text("removes marketingOptIn, which mapping web-signup writes")
    expect(impact.get_by_test_id("risk-tier")).to_contain_text("needs 2 approvals")

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/groups/revisions/\d+/$"))
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    review_url = page.url

    # The author asks for the dry run on the review page; the job runs here, at once,
    # instead of in a worker (the page polls its progress, which is the dry run's own test).
    page.get_by_role("button", name="Run data dry run").click()
    expect(page.get_by_text("profiles sampled")).to_be_visible()
    run = DryRun.objects.get()
    run_dry_run(run.pk, client=emulator_client())
    run.refresh_from_db()
    rejected = run.violations["preferredChannel"]["rejected"]
    assert run.state == DryRun.State.DONE and rejected > 0

    page.context.clear_cookies()  # the operator leaves; a reviewer signs in (four eyes)
    page = signed_in_page("Reviewer", username="rita")
    page.goto(review_url)
    impact = page.get_by_role("region", name="Impact and risk")
    expect(impact.get_by_test_id("risk-tier")).to_contain_text("HIGH risk")
    expect(impact.get_by_test_id("risk-reasons")).to_contain_text(
        f"tightens the rule of preferredChannel: {rejected} of {run.sampled} sampled profiles "
        "hold a value the new definition rejects"
    )
    expect(impact.get_by_test_id("risk-reasons")).to_contain_text(
        "removes marketingOptIn, which mapping web-signup writes"
    )

    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("state")).to_have_text("In review")
    review = page.get_by_role("region", name="Review")
    expect(review).to_contain_text("1 of 2 approvals")
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # not twice


def test_the_builder_warns_as_the_author_renames_or_retypes_a_live_trait(
    preferences_live, signed_in_page, live_server
):
    page = olga_edits_preferences(preferences_live, signed_in_page, live_server)
    notice = page.get_by_test_id("live-trait-notice")
    expect(notice).to_be_empty()

    def row_of(name):
        return page.locator("fieldset.trait-row", has=page.locator(f'input[value="{name}"]'))

    row_of("preferredChannel").get_by_label(re.compile(r"^Trait name")).fill("channel")
    expect(notice).to_contain_text(
        "preferredChannel is live and this draft removes it. If channel is its new name: "
        "renaming a trait is removing it and adding another, so profiles lose the values "
        "preferredChannel holds and channel starts empty."
    )
    row_of("quietHoursStart").get_by_label(re.compile(r"^Data type")).select_option("STRING")
    expect(notice).to_contain_text(
        "quietHoursStart is live as NUMBER; this draft makes it STRING — values already "
        "stored may no longer fit."
    )

    row_of("preferredChannel").get_by_label(re.compile(r"^Trait name")).fill("preferredChannel")
    expect(notice).not_to_contain_text("removes")
    expect(notice).to_contain_text("quietHoursStart is live as NUMBER")
    assert blocking_violations(page) == []
