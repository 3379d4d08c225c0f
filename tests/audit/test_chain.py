"""verify_audit_chain recomputes every hash and names the first event that was tampered with."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memadmin.audit import chain, selectors
from memadmin.audit.triggers import suspended_triggers


def _behind_the_triggers_back(sql: str, params: list) -> None:
    """What someone with database access could do: drop the triggers, write, put them back."""
    with suspended_triggers(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def five_events(append):
    return [append(f"traitgroup.step{n}", store_id="MS1", trait_group="Loyalty") for n in range(5)]


def test_an_intact_chain_verifies(five_events):
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "Audit chain intact: 5 events verified." in out.getvalue()


def test_a_row_changed_behind_the_triggers_back_is_named(five_events):
    tampered = five_events[2]
    _behind_the_triggers_back(
        "UPDATE audit_auditevent SET outcome = 'failure' WHERE id = %s", [tampered.pk]
    )
    with pytest.raises(CommandError, match=f"broken at event {tampered.pk}: its content") as err:
        call_command("verify_audit_chain")
    assert err.value.returncode == 1  # manage.py exits non-zero


def test_a_row_rehashed_to_hide_a_change_breaks_the_next_link(five_events):
    tampered, following = five_events[1], five_events[2]
    tampered.outcome = "failure"
    forged_hash = chain.event_hash(tampered)
    _behind_the_triggers_back(
        "UPDATE audit_auditevent SET outcome = 'failure', hash = %s WHERE id = %s",
        [forged_hash, tampered.pk],
    )
    (broken,) = selectors.verify_chain()
    assert broken.event_id == following.pk
    assert f"the hash of event {tampered.pk}" in broken.reason


def test_a_removed_event_is_found_at_the_next_link(five_events):
    removed, following = five_events[3], five_events[4]
    _behind_the_triggers_back("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
    (broken,) = selectors.verify_chain()
    assert broken.event_id == following.pk
    assert f"event {five_events[2].pk}" in broken.reason


def test_the_triggers_come_back_after_being_suspended(five_events):
    _behind_the_triggers_back("SELECT COUNT(*) FROM audit_auditevent", [])
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [five_events[0].pk])


json_documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=json_documents, after=json_documents, label=st.text(max_size=300))
def test_any_document_hashes_the_same_after_a_trip_through_the_database(
    append, before, after, label
):
    append(before=before, after=after, target_label=label, detail=label)
    assert selectors.verify_chain() == []
