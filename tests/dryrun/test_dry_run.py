"""A data dry run counts, per tightened trait, the live values the revision would reject."""

import threading

import pytest
from django.db import connection, connections

from memadmin.dryrun import services
from memadmin.dryrun.models import DryRun
from memadmin.dryrun.sampling import run_dry_run
from memadmin.emulator.embedded import get_embedded_emulator
from memadmin.traitgroups.models import TraitGroup
from tests.dryrun.fakes import (
    POPULATION,
    CreatingAProfileAfterTheFirstPage,
    EmptyPagesForever,
    FailingAfter,
    LastPageLeadsToItself,
    emulator_client,
    expected_rejections,
    known_population,
    tightening_revision,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision(operator):
    known_population()
    return tightening_revision(operator)


def test_a_dry_run_counts_the_values_the_tightened_rules_reject(revision, operator, clock):
    run = services.start_dry_run(revision=revision, actor=operator)
    run = run_dry_run(run.pk, client=emulator_client(clock))
    assert run.state == DryRun.State.DONE
    assert run.sampled == POPULATION
    expected = expected_rejections()
    assert expected["phone"] > 0 and expected["email"] > 0
    assert {name: counts["rejected"] for name, counts in run.violations.items()} == expected
    assert run.violations["phone"]["sampled"] == POPULATION
    assert run.violations["phone"]["reason"] == "the new pattern"
    assert run.rejected_traits == ["email", "phone"]


def test_the_sample_is_bounded_by_the_sample_size(revision, operator, clock, settings):
    settings.DRY_RUN_SAMPLE_SIZE = 120
    run = services.start_dry_run(revision=revision, actor=operator)
    run = run_dry_run(run.pk, client=emulator_client(clock))
    assert run.sampled == 120
    assert run.violations["phone"]["sampled"] == 120


def test_at_most_five_masked_examples_are_kept_per_trait(revision, operator, clock):
    run = run_dry_run(
        services.start_dry_run(revision=revision, actor=operator).pk,
        client=emulator_client(clock),
    )
    assert {name: len(found) for name, found in run.masked_examples.items()} == {
        "email": 5,
        "phone": 5,
    }
    assert all("*" in example for found in run.masked_examples.values() for example in found)


def test_an_interrupted_dry_run_resumes_to_the_same_totals(revision, operator, clock):
    straight = run_dry_run(
        services.start_dry_run(revision=revision, actor=operator).pk,
        client=emulator_client(clock),
    )
    DryRun.objects.filter(pk=straight.pk).update(state=DryRun.State.FAILED)  # a new run

    run = services.start_dry_run(revision=revision, actor=operator)
    stopped = run_dry_run(run.pk, client=FailingAfter(emulator_client(clock), reads=130))
    assert stopped.state == DryRun.State.INTERRUPTED
    assert 0 < stopped.sampled < POPULATION
    assert stopped.error_message == "Twilio went away."

    services.resume_dry_run(dry_run=stopped, actor=operator)
    resumed = run_dry_run(run.pk, client=emulator_client(clock))
    assert resumed.state == DryRun.State.DONE
    assert resumed.sampled == POPULATION  # no profile counted twice, none skipped
    assert resumed.violations == straight.violations


def test_a_profile_created_during_the_run_makes_no_other_count_twice(revision, operator, clock):
    run = services.start_dry_run(revision=revision, actor=operator)
    client = CreatingAProfileAfterTheFirstPage(emulator_client(clock))
    finished = run_dry_run(run.pk, client=client)
    assert finished.state == DryRun.State.DONE
    assert len(client.read) == len(set(client.read)) == finished.sampled == POPULATION
    assert {n: c["rejected"] for n, c in finished.violations.items()} == expected_rejections()


def test_a_listing_that_never_ends_stops_at_its_first_empty_page(revision, operator, clock):
    known_population(5)
    run = services.start_dry_run(revision=revision, actor=operator)
    finished = run_dry_run(run.pk, client=EmptyPagesForever(emulator_client(clock)))
    assert finished.state == DryRun.State.DONE
    assert finished.sampled == 5


def test_a_page_token_that_leads_back_to_its_own_page_counts_that_page_once(
    revision, operator, clock
):
    known_population(150)  # two pages
    run = services.start_dry_run(revision=revision, actor=operator)
    finished = run_dry_run(run.pk, client=LastPageLeadsToItself(emulator_client(clock)))
    assert finished.state == DryRun.State.DONE
    assert finished.sampled == 150


def test_a_worker_killed_mid_run_is_resumed_by_the_next_one(revision, operator, clock):
    run = services.start_dry_run(revision=revision, actor=operator)
    run_dry_run(run.pk, client=FailingAfter(emulator_client(clock), reads=130))
    DryRun.objects.filter(pk=run.pk).update(state=DryRun.State.RUNNING)  # as a dead worker left it
    resumed = run_dry_run(run.pk, client=emulator_client(clock))
    assert resumed.sampled == POPULATION
    assert {n: c["rejected"] for n, c in resumed.violations.items()} == expected_rejections()


def test_retry_after_is_honoured_without_real_sleeping(revision, operator, clock):
    get_embedded_emulator().faults.fail_next(2, status=429, retry_after=3)
    run = run_dry_run(
        services.start_dry_run(revision=revision, actor=operator).pk,
        client=emulator_client(clock),
    )
    assert run.state == DryRun.State.DONE
    assert 3 in clock.sleeps
    assert run.sampled == POPULATION


def test_a_busy_twilio_past_the_retry_bound_interrupts_the_run(revision, operator, clock):
    get_embedded_emulator().faults.fail_next(50, status=503, retry_after=1)
    run = run_dry_run(
        services.start_dry_run(revision=revision, actor=operator).pk,
        client=emulator_client(clock, max_attempts=2),
    )
    assert run.state == DryRun.State.INTERRUPTED
    assert run.error_message


def test_a_dry_run_goes_stale_when_the_live_group_changes(revision, operator, clock):
    run = run_dry_run(
        services.start_dry_run(revision=revision, actor=operator).pk,
        client=emulator_client(clock),
    )
    assert not run.is_stale
    TraitGroup.objects.filter(pk=revision.trait_group_id).update(live_version=2)
    run.revision.trait_group.refresh_from_db()
    assert run.is_stale


def test_a_revision_that_tightens_nothing_has_nothing_to_dry_run(operator):
    from tests.dryrun.fakes import LIVE_CONTACT

    revision = tightening_revision(operator, {**LIVE_CONTACT, "description": "Only words"})
    with pytest.raises(services.NothingToCheck):
        services.start_dry_run(revision=revision, actor=operator)


def test_asking_twice_while_queued_reuses_the_queued_run(revision, operator):
    first = services.start_dry_run(revision=revision, actor=operator)
    assert services.start_dry_run(revision=revision, actor=operator) == first


def test_a_retyped_trait_counts_values_of_the_old_type(operator, clock):
    from tests.dryrun.fakes import tightened_contact

    known_population(40)
    definition = tightened_contact()
    definition["traits"]["street"] = {"dataType": "NUMBER"}
    revision = tightening_revision(operator, definition)
    run = run_dry_run(
        services.start_dry_run(revision=revision, actor=operator).pk,
        client=emulator_client(clock),
    )
    assert run.violations["street"]["rejected"] == 40
    assert run.violations["street"]["reason"] == "the new data type NUMBER"


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL concurrency test; SQLite's IMMEDIATE transactions take turns anyway",
)
@pytest.mark.django_db(transaction=True)
def test_clicks_arriving_at_once_start_one_dry_run(operator):
    """Eight requests to start the same dry run, released together: one run, one audit event."""
    known_population(10)
    revision = tightening_revision(operator)
    start, started, failures = threading.Barrier(8), [], []

    def click() -> None:
        try:
            start.wait()
            started.append(services.start_dry_run(revision=revision, actor=operator).pk)
        except Exception as exc:  # collected, so the test names what went wrong
            failures.append(repr(exc))
        finally:
            connections.close_all()

    clicks = [threading.Thread(target=click) for _ in range(8)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    assert failures == []
    assert len(set(started)) == 1
    assert DryRun.objects.filter(revision=revision).count() == 1
