"""The revision state machine: every legal move, and refusals in words for the rest."""

import pytest

from memadmin.reviews.workflow import TRANSITIONS, IllegalTransition, transition
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State
# Sorted: the targets are frozensets, whose order differs between pytest-xdist workers.
LEGAL = sorted((a, b) for a, targets in TRANSITIONS.items() for b in targets)
ILLEGAL = [(a, b) for a in State.values for b in State.values if (a, b) not in LEGAL]


@pytest.fixture
def revision_in(db, operator):
    def make(state):
        return TraitGroupRevision.objects.create(
            store_id="mem_store_00000000000000000000000000",
            definition={"displayName": "Loyalty", "traits": {}},
            author=operator,
            state=state,
        )

    return make


def test_the_table_covers_every_state_and_the_issue_lifecycle():
    assert set(TRANSITIONS) == set(State.values)
    for step in [
        (State.DRAFT, State.IN_REVIEW),
        (State.IN_REVIEW, State.APPROVED),
        (State.IN_REVIEW, State.CHANGES_REQUESTED),
        (State.APPROVED, State.PUBLISHING),
        (State.PUBLISHING, State.PUBLISHED),
        (State.PUBLISHING, State.FAILED),
        (State.DRAFT, State.WITHDRAWN),
    ]:
        assert step in LEGAL
    assert TRANSITIONS[State.PUBLISHED] == TRANSITIONS[State.WITHDRAWN] == frozenset()


@pytest.mark.parametrize(("from_state", "to_state"), LEGAL)
def test_legal_moves_happen(revision_in, operator, from_state, to_state):
    revision = revision_in(from_state)
    before = revision.lock_version
    transition(revision, to_state, actor=operator)
    revision.refresh_from_db()
    assert revision.state == to_state
    assert revision.lock_version == before + 1


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_illegal_moves_are_refused_with_a_sentence(revision_in, operator, from_state, to_state):
    revision = revision_in(from_state)
    with pytest.raises(IllegalTransition) as refused:
        transition(revision, to_state, actor=operator)
    assert str(refused.value).startswith(f"Revision {revision.pk} is ")
    assert str(refused.value).endswith(".")
    revision.refresh_from_db()
    assert revision.state == from_state


def test_a_published_revision_says_to_start_a_new_edit(revision_in, operator):
    revision = revision_in(State.PUBLISHED)
    with pytest.raises(IllegalTransition, match="start a new edit"):
        transition(revision, State.DRAFT, actor=operator)


def test_submitting_stamps_the_time(revision_in, operator):
    revision = transition(revision_in(State.DRAFT), State.IN_REVIEW, actor=operator)
    assert revision.submitted_at is not None
