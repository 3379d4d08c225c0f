"""The life of a revision: every move of the workflow table is taken by a real service, and
the database itself shows that nothing else ever changes a revision's state."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from memadmin.audit.models import AuditEvent
from memadmin.memory_api.client import reset_memory_api_client
from memadmin.operations import polling
from memadmin.operations import services as operation_services
from memadmin.reviews import publishing, services
from memadmin.reviews.workflow import TRANSITIONS, IllegalTransition, ReviewRefused, transition
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State

SQLITE_TRIGGERS = [
    """CREATE TRIGGER revision_created AFTER INSERT ON traitgroups_traitgrouprevision
    BEGIN INSERT INTO revision_state_log (revision_id, from_state, to_state)
    VALUES (NEW.id, NULL, NEW.state); END""",
    """CREATE TRIGGER revision_moved AFTER UPDATE OF state ON traitgroups_traitgrouprevision
    WHEN OLD.state IS NOT NEW.state
    BEGIN INSERT INTO revision_state_log (revision_id, from_state, to_state)
    VALUES (NEW.id, OLD.state, NEW.state); END""",
]
POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION log_revision_state() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.state IS NOT DISTINCT FROM NEW.state THEN RETURN NEW; END IF;
        INSERT INTO revision_state_log (revision_id, from_state, to_state)
        VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END, NEW.state);
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER revision_state_logged AFTER INSERT OR UPDATE OF state
    ON traitgroups_traitgrouprevision FOR EACH ROW EXECUTE FUNCTION log_revision_state()""",
]


@pytest.fixture
def state_log(db):
    """Every state a revision row takes, as the database saw it (a trigger, so raw UPDATEs
    are caught too); rolled back with the test. Returns {revision id: [(from, to), …]}."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE revision_state_log (id INTEGER PRIMARY KEY, revision_id BIGINT, "
            "from_state VARCHAR(24), to_state VARCHAR(24))"
            if connection.vendor == "sqlite"
            else "CREATE TABLE revision_state_log (id SERIAL PRIMARY KEY, revision_id BIGINT, "
            "from_state VARCHAR(24), to_state VARCHAR(24))"
        )
        for statement in SQLITE_TRIGGERS if connection.vendor == "sqlite" else POSTGRESQL_TRIGGERS:
            cursor.execute(statement)

    def read() -> dict[int, list[tuple[str | None, str]]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT revision_id, from_state, to_state FROM revision_state_log ORDER BY id"
            )
            log: dict[int, list] = {}
            for revision_id, from_state, to_state in cursor.fetchall():
                log.setdefault(revision_id, []).append((from_state, to_state))
            return log

    return read


def audited_moves(revision_id: int) -> list[tuple[str, str]]:
    """The revision's moves as its audit trail tells them."""
    events = AuditEvent.objects.filter(revision_id=revision_id, action="revision.state_changed")
    return [(event.before["state"], event.after["state"]) for event in events.order_by("pk")]


def poll_now(operation):
    """The worker's poll, now: the emulator has settled the operation already."""
    polling.poll(operation_id=operation.pk, force=True)


def refused_by_twilio(instant_emulator, settings):
    """Twilio answers the next request 503, and memadmin does not retry it by itself."""
    settings.MEMORY_API_MAX_ATTEMPTS = 1
    reset_memory_api_client()
    instant_emulator.faults.fail_next(1, status=503)


def test_every_move_of_the_table_is_made_by_a_service_and_audited(
    state_log,
    instant_emulator,
    settings,
    operator,
    reviewer,
    make_user,
    draft,
    approve_new,
    change_contact_in_twilio,
):
    # An edit of Customer: reworked, rebased twice, refused with 412, failed, retried, live.
    # It tightens postalCode with no dry run: HIGH risk, so each round takes two approvals.
    second = make_user("Reviewer", username="second-reviewer")

    def approve_round():
        services.approve(revision=draft, actor=reviewer)
        services.approve(revision=draft, actor=second)

    services.submit_for_review(revision=draft, actor=operator)
    services.request_changes(revision=draft, actor=reviewer, comment="Keep street.")
    services.submit_for_review(revision=draft, actor=operator)
    approve_round()
    publishing.rebase_revision(revision=draft, actor=operator)  # APPROVED → IN_REVIEW
    approve_round()
    change_contact_in_twilio({"street": {"dataType": "STRING", "description": "Console"}})
    with pytest.raises(publishing.PublishConflict):
        publishing.publish(revision=draft, actor=reviewer)  # → PUBLISHING → CHANGES_REQUESTED
    publishing.rebase_revision(revision=draft, actor=operator)
    approve_round()
    refused_by_twilio(instant_emulator, settings)
    with pytest.raises(ReviewRefused, match="Twilio refused the change"):
        publishing.publish(revision=draft, actor=reviewer)  # → PUBLISHING → FAILED
    refused = draft.operations.latest("pk")
    operation = operation_services.retry_submission(operation=refused, actor=reviewer)
    # ↑ FAILED → PUBLISHING
    poll_now(operation)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED

    # New groups, each to another end of the table.
    def failed(name):
        revision = approve_new(name)
        refused_by_twilio(instant_emulator, settings)
        with pytest.raises(ReviewRefused):
            publishing.publish(revision=revision, actor=reviewer)
        return revision

    resubmitted = failed("Resubmitted")
    author = resubmitted.author
    services.submit_for_review(revision=resubmitted, actor=author)  # FAILED → IN_REVIEW
    services.withdraw(revision=resubmitted, actor=author)  # IN_REVIEW → WITHDRAWN
    services.withdraw(revision=failed("Abandoned"), actor=author)  # FAILED → WITHDRAWN
    services.withdraw(revision=approve_new("Unwanted"), actor=author)  # APPROVED → WITHDRAWN
    reworked = traitgroup_services.create_draft(
        store_id=draft.store_id, definition={"displayName": "Reworked", "traits": {}}, author=author
    )
    services.withdraw(revision=reworked, actor=author)  # DRAFT → WITHDRAWN
    rework = traitgroup_services.create_draft(
        store_id=draft.store_id, definition={"displayName": "Rework", "traits": {}}, author=author
    )
    services.submit_for_review(revision=rework, actor=author)
    services.request_changes(revision=rework, actor=reviewer, comment="Not yet.")
    services.withdraw(revision=rework, actor=author)  # CHANGES_REQUESTED → WITHDRAWN

    log = state_log()
    taken = {move for moves in log.values() for move in moves[1:]}
    assert taken == {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    for revision_id, moves in log.items():
        created, *changed = moves
        assert created == (None, State.DRAFT)  # every revision is born a draft …
        assert changed == audited_moves(revision_id)  # … and every move since is audited


def test_a_published_revision_refuses_every_action_and_stays_published(
    state_log, operator, reviewer, make_user, approve_new
):
    revision = approve_new("Settled")
    poll_now(publishing.publish(revision=revision, actor=reviewer))
    revision.refresh_from_db()
    assert revision.state == State.PUBLISHED
    admin = make_user("Admin", username="ada")
    moves_before = state_log()

    attempts = [
        lambda: services.submit_for_review(revision=revision, actor=revision.author),
        lambda: services.withdraw(revision=revision, actor=admin),
        lambda: services.approve(revision=revision, actor=admin),
        lambda: services.request_changes(revision=revision, actor=admin, comment="Late."),
        lambda: publishing.publish(revision=revision, actor=admin),
        lambda: publishing.rebase_revision(revision=revision, actor=admin),
    ]
    for attempt in attempts:
        with pytest.raises((ReviewRefused, PermissionDenied)):
            attempt()
    for state in State.values:  # and the table itself has no way out
        with pytest.raises(IllegalTransition, match="start a new edit"):
            transition(revision, state, actor=admin)

    revision.refresh_from_db()
    assert revision.state == State.PUBLISHED
    assert state_log() == moves_before
