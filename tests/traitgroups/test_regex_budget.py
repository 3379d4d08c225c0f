"""A regex pattern costs one bounded compile, however often it is validated (issue 15, item 5)."""

import pytest

from memadmin.traitgroups import regex_budget, validation

# 60 wide character ranges: about a second to compile on this project's machines.
COSTLY = "(?i)" + "[\\u0100-\\uffff]" * 60


def draft_with_patterns(*patterns):
    rows = [
        {"key": key, "name": f"t{key}", "dataType": "STRING", "pattern": pattern}
        for key, pattern in enumerate(patterns)
    ]
    return {"displayName": "g", "description": "", "traits": rows}


@pytest.fixture
def children(monkeypatch):
    """Counts the child processes that compile patterns."""
    calls = []
    real = regex_budget._compile_in_child

    def counting(patterns, budget):
        calls.append(list(patterns))
        return real(patterns, budget)

    monkeypatch.setattr(regex_budget, "_compile_in_child", counting)
    regex_budget._verdicts.clear()
    return calls


def messages(issues):
    return [issue.message for issue in issues if issue.path.endswith("pattern")]


def test_a_pattern_that_compiles_too_slowly_is_refused_with_a_message(children, settings):
    settings.REGEX_COMPILE_BUDGET_SECONDS = 0.05
    found = messages(validation.validate(draft_with_patterns(COSTLY)))
    assert found == [
        "This regular expression takes too long to compile (over 0.05 s): use fewer or "
        "narrower character ranges."
    ]


def test_95_rows_of_one_pattern_compile_once_and_again_never(children, settings):
    settings.REGEX_COMPILE_BUDGET_SECONDS = 0.05
    draft = draft_with_patterns(*[COSTLY] * 95)
    first = validation.validate(draft)
    second = validation.validate(draft)
    assert children == [[COSTLY]]
    assert len(messages(first)) == 95 and messages(first) == messages(second)


def test_many_distinct_costly_patterns_stop_at_the_requests_budget(children, settings):
    settings.REGEX_COMPILE_BUDGET_SECONDS = 0.05
    patterns = [COSTLY + "x" * index for index in range(30)]
    found = messages(validation.validate(draft_with_patterns(*patterns)))
    assert len(found) == 30 and len(children) == 1
    assert all("too long" in text or "could not be checked" in text for text in found)


def test_ordinary_patterns_still_get_their_usual_messages(children):
    found = messages(validation.validate(draft_with_patterns("^[a-z]+$", "(", "(?P<x>a)b")))
    assert found[0].startswith("This regular expression does not compile: missing )")
    assert "named groups" in found[1]
