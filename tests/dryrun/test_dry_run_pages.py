"""The dry-run panel on the review page: who may run it, progress, results, masked examples."""

import logging

import pytest
from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.dryrun.masking import mask
from memadmin.dryrun.models import DryRun
from memadmin.dryrun.sampling import run_dry_run
from memadmin.reviews import services as reviews
from tests.dryrun.fakes import (
    emulator_client,
    expected_rejections,
    known_population,
    seeded_contact_values,
    tightening_revision,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision(operator):
    known_population()
    revision = tightening_revision(operator)
    reviews.submit_for_review(revision=revision, actor=operator)
    return revision


def signed_in(client, user):
    client.force_login(user)
    return client


def finished_run(revision, client, user) -> DryRun:
    response = signed_in(client, user).post(reverse("dryrun:start", args=[revision.pk]))
    assert response.status_code == 302
    run = DryRun.objects.get(revision=revision)
    return run_dry_run(run.pk, client=emulator_client())


def test_the_review_page_offers_the_author_a_dry_run(client, revision, operator):
    page = signed_in(client, operator).get(reverse("reviews:revision", args=[revision.pk]))
    assert b"Data dry run" in page.content
    assert b"Run data dry run" in page.content


def test_a_running_dry_run_polls_its_progress(client, revision, reviewer):
    signed_in(client, reviewer).post(reverse("dryrun:start", args=[revision.pk]))
    page = client.get(reverse("reviews:revision", args=[revision.pk]))
    assert b'hx-trigger="every 1500ms"' in page.content
    assert b"<progress" in page.content
    run = DryRun.objects.get(revision=revision)
    fragment = client.get(reverse("dryrun:detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content and b"0 of 1,000 profiles" in fragment.content


def test_the_result_says_how_many_sampled_profiles_hold_a_rejected_value(
    client, revision, reviewer
):
    run = finished_run(revision, client, reviewer)
    page = client.get(reverse("reviews:revision", args=[revision.pk])).content.decode()
    phones = expected_rejections()["phone"]
    assert (
        f"{phones} of {run.sampled}</strong> sampled profiles hold a <code>phone</code> "
        "the new pattern rejects" in page
    )
    assert 'hx-trigger="every' not in page


def test_a_dry_run_shows_as_stale_when_the_revision_changes(client, revision, reviewer):
    finished_run(revision, client, reviewer)
    revision.definition = {**revision.definition, "description": "Reworded"}
    revision.save()
    page = client.get(reverse("reviews:revision", args=[revision.pk]))
    assert (
        "The revision or live group changed since this dry run — run it again"
        in page.content.decode()
    )


@pytest.mark.parametrize("role", ["auditor", "other_operator"])
def test_others_may_not_run_a_dry_run_or_see_examples(client, revision, reviewer, make_user, role):
    run = finished_run(revision, client, reviewer)
    other = make_user("Auditor" if role == "auditor" else "Operator", username=f"other-{role}")
    signed_in(client, other)
    assert client.post(reverse("dryrun:start", args=[revision.pk])).status_code == 403
    assert client.post(reverse("dryrun:examples", args=[run.pk])).status_code == 403
    assert (
        b"Run data dry run"
        not in client.get(reverse("reviews:revision", args=[revision.pk])).content
    )


def test_unknown_ids_are_404s(client, reviewer):
    signed_in(client, reviewer)
    assert client.post(reverse("dryrun:start", args=[999999])).status_code == 404
    assert client.get(reverse("dryrun:detail", args=[999999])).status_code == 404
    assert client.post(reverse("dryrun:examples", args=[999999])).status_code == 404
    assert client.post(reverse("dryrun:resume", args=[999999])).status_code == 404


def test_resuming_a_finished_run_is_a_409(client, revision, reviewer):
    run = finished_run(revision, client, reviewer)
    assert client.post(reverse("dryrun:resume", args=[run.pk])).status_code == 409


def test_seeing_masked_examples_is_audited_without_values(client, revision, reviewer):
    run = finished_run(revision, client, reviewer)
    response = client.post(reverse("dryrun:examples", args=[run.pk]))
    assert response.status_code == 200
    assert run.masked_examples["phone"][0] in response.content.decode()
    event = AuditEvent.objects.get(action="dryrun.examples_viewed")
    assert event.actor == reviewer and event.revision_id == revision.pk


def test_no_full_value_appears_in_any_page_log_or_audit_record(client, revision, reviewer, caplog):
    caplog.set_level(logging.DEBUG)
    run = finished_run(revision, client, reviewer)
    shown = [
        client.get(reverse("reviews:revision", args=[revision.pk])).content.decode(),
        client.get(reverse("dryrun:detail", args=[run.pk])).content.decode(),
        client.post(reverse("dryrun:examples", args=[run.pk])).content.decode(),
        client.post(
            reverse("dryrun:examples", args=[run.pk]), HTTP_HX_REQUEST="true"
        ).content.decode(),
    ]
    stored = [str(run.violations), str(run.masked_examples)]
    audit = [
        str(values)
        for values in AuditEvent.objects.values(
            "before", "after", "detail", "target_label", "diff_summary"
        )
    ]
    everything = "\n".join(shown + stored + audit + [caplog.text])
    leaked = [value for value in seeded_contact_values() if value in everything]
    assert leaked == []


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("alyssa.mock@example.com", "a***@e***.com"),
        ("+13175554567", "+1******4567"),
        ("(317) 555-4567", "(3**) ***-4567"),
        ("United States", "U***s"),
        ("US", "***"),
        (250000, "2*****"),
        (True, "(a boolean)"),
        (["a", "b"], "(an array of 2 items)"),
    ],
)
def test_masking_keeps_the_shape_never_the_value(value, masked):
    assert mask(value) == masked
    assert str(value) not in masked or str(value) in ("",)
