"""Trait-level diffs, breaking changes, the minimal PATCH (memory_api.definitions), rebasing."""

from hypothesis import given, settings
from hypothesis import strategies as st

from memadmin.memory_api.definitions import apply_patch, minimal_patch
from memadmin.traitgroups.diff import diff_definitions, rebase

EMAIL = {
    "dataType": "STRING",
    "validationRule": {"ruleType": "STRING", "maxLength": 200},
    "idTypePromotion": "email",
}
AGE = {"dataType": "NUMBER", "validationRule": {"ruleType": "NUMBER", "min": 0, "max": 150}}
TAGS = {"dataType": "ARRAY", "validationRule": {"ruleType": "ARRAY", "minItems": 0, "maxItems": 9}}


def group(**traits):
    return {"displayName": "Contact", "description": "People", "traits": traits}


def test_added_removed_and_changed_traits_are_told_apart_with_field_details():
    old = group(email=EMAIL, age=AGE)
    new = group(age={**AGE, "description": "Years"}, tags=TAGS)
    diff = diff_definitions(old, new)
    assert [(c.name, c.kind) for c in diff.traits] == [
        ("email", "removed"),
        ("age", "changed"),
        ("tags", "added"),
    ]
    (age,) = diff.changed
    assert [(f.path, f.before, f.after) for f in age.fields] == [("description", None, "Years")]
    assert not age.is_breaking


def test_identical_definitions_have_no_diff():
    assert diff_definitions(group(email=EMAIL), group(email=EMAIL)).is_empty


def test_a_new_group_breaks_nothing():
    diff = diff_definitions(None, group(email=EMAIL))
    assert [c.kind for c in diff.traits] == ["added"]
    assert diff.breaking == ()


def test_a_removed_trait_is_breaking():
    (reason,) = diff_definitions(group(email=EMAIL), group()).breaking
    assert "'email' is removed" in reason


def test_a_changed_data_type_is_breaking():
    new = group(age={"dataType": "STRING"})
    assert any(
        "dataType from NUMBER to STRING" in r
        for r in diff_definitions(group(age=AGE), new).breaking
    )


def rule_change(old_rule, new_rule, data_type="STRING"):
    old = group(t={"dataType": data_type, "validationRule": old_rule})
    new = group(t={"dataType": data_type, "validationRule": new_rule})
    return diff_definitions(old, new).breaking


def test_narrowed_validation_rules_are_breaking():
    assert rule_change(
        {"ruleType": "STRING", "maxLength": 200}, {"ruleType": "STRING", "maxLength": 100}
    )
    assert rule_change(
        {"ruleType": "STRING", "minLength": 0}, {"ruleType": "STRING", "minLength": 2}
    )
    assert rule_change({"ruleType": "STRING"}, {"ruleType": "STRING", "pattern": "^a"})
    assert rule_change(
        {"ruleType": "STRING", "pattern": "^a"}, {"ruleType": "STRING", "pattern": "^b"}
    )
    assert rule_change({"ruleType": "NUMBER", "min": 0}, {"ruleType": "NUMBER", "min": 1}, "NUMBER")
    assert rule_change({"ruleType": "NUMBER", "max": 9}, {"ruleType": "NUMBER", "max": 8}, "NUMBER")
    assert rule_change(
        {"ruleType": "ARRAY", "minItems": 0}, {"ruleType": "ARRAY", "minItems": 1}, "ARRAY"
    )
    assert rule_change(
        {"ruleType": "ARRAY", "maxItems": 5}, {"ruleType": "ARRAY", "maxItems": 4}, "ARRAY"
    )
    assert rule_change({"ruleType": "STRING"}, {"ruleType": "ARRAY"})


def test_widened_validation_rules_are_not_breaking():
    assert not rule_change(
        {"ruleType": "STRING", "maxLength": 100}, {"ruleType": "STRING", "maxLength": 200}
    )
    assert not rule_change({"ruleType": "STRING", "pattern": "^a"}, {"ruleType": "STRING"})
    assert not rule_change(
        {"ruleType": "NUMBER", "min": 1, "max": 5}, {"ruleType": "NUMBER", "min": 0}, "NUMBER"
    )
    assert not rule_change(
        {"ruleType": "ARRAY", "maxItems": 4}, {"ruleType": "ARRAY", "maxItems": 9}, "ARRAY"
    )


def test_the_named_reason_says_which_bound_moved():
    (reason,) = rule_change(
        {"ruleType": "STRING", "maxLength": 200}, {"ruleType": "STRING", "maxLength": 100}
    )
    assert "maxLength lowered (200 → 100)" in reason


def test_id_type_promotion_added_changed_or_removed_is_breaking_and_says_why():
    plain = {"dataType": "STRING"}
    for old, new in [
        (plain, {**plain, "idTypePromotion": "email"}),
        ({**plain, "idTypePromotion": "email"}, {**plain, "idTypePromotion": "phone"}),
        ({**plain, "idTypePromotion": "email"}, plain),
    ]:
        (reason,) = diff_definitions(group(t=old), group(t=new)).breaking
        assert "profiles are resolved and merged" in reason


def test_minimal_patch_sends_changed_and_added_traits_whole_and_marks_removed_ones():
    live = group(email=EMAIL, age=AGE)
    target = {**group(age={**AGE, "description": "Years"}, tags=TAGS), "description": "People"}
    assert minimal_patch(live, target) == {
        "traits": {
            "email": {"dataType": ""},
            "age": {**AGE, "description": "Years"},
            "tags": TAGS,
        }
    }


def test_minimal_patch_of_equal_definitions_is_empty_and_absent_description_equals_empty():
    assert minimal_patch(group(email=EMAIL), group(email=EMAIL)) == {}
    assert (
        minimal_patch({**group(), "description": ""}, {"displayName": "Contact", "traits": {}})
        == {}
    )
    assert minimal_patch(group(), {**group(), "description": "New"}) == {"description": "New"}


# Property: applying the computed PATCH to live yields the revision exactly.
rules = st.one_of(
    st.fixed_dictionaries(
        {"ruleType": st.just("STRING")},
        optional={"maxLength": st.integers(1, 300), "pattern": st.sampled_from(["^a", "^[0-9]+$"])},
    ),
    st.fixed_dictionaries(
        {"ruleType": st.just("NUMBER")},
        optional={"min": st.integers(-5, 5), "max": st.integers(6, 50)},
    ),
    st.fixed_dictionaries({"ruleType": st.just("ARRAY")}, optional={"maxItems": st.integers(0, 9)}),
)
trait_definitions = st.fixed_dictionaries(
    {"dataType": st.sampled_from(["STRING", "NUMBER", "BOOLEAN", "ARRAY"])},
    optional={
        "description": st.text(max_size=5),
        "validationRule": rules,
        "idTypePromotion": st.sampled_from(["email", "phone"]),
    },
)
trait_maps = st.dictionaries(st.sampled_from(list("abcdefgh")), trait_definitions, max_size=8)
definitions = st.builds(
    lambda traits, description: {"displayName": "G", "description": description, "traits": traits},
    trait_maps,
    st.sampled_from(["", "one", "two"]),
)


@settings(max_examples=300, deadline=None)
@given(live=definitions, target=definitions)
def test_applying_the_minimal_patch_to_live_yields_the_revision_exactly(live, target):
    patch = minimal_patch(live, target)
    assert apply_patch(live, patch) == target
    # Minimal: nothing unchanged is sent.
    for name, definition in patch.get("traits", {}).items():
        assert live["traits"].get(name) != target["traits"].get(name)
        assert definition == target["traits"].get(name, {"dataType": ""})


@settings(max_examples=200, deadline=None)
@given(base=definitions, ours=definitions)
def test_rebasing_on_an_unchanged_live_keeps_our_revision(base, ours):
    merged, conflicts = rebase(base, ours, base)
    assert (merged, conflicts) == (ours, [])


def test_rebase_keeps_both_sides_changes_and_lists_traits_both_changed():
    base = group(email=EMAIL, age=AGE)
    ours = group(email={**EMAIL, "description": "ours"}, age=AGE, tags=TAGS)
    theirs = group(
        email={**EMAIL, "description": "theirs"},
        age={**AGE, "description": "x"},
        city={"dataType": "STRING"},
    )
    merged, conflicts = rebase(base, ours, theirs)
    assert merged["traits"] == {
        "email": {**EMAIL, "description": "ours"},
        "age": {**AGE, "description": "x"},
        "city": {"dataType": "STRING"},
        "tags": TAGS,
    }
    assert [c.name for c in conflicts] == ["email"]


def test_rebase_respects_a_removal_on_either_side():
    base = group(email=EMAIL, age=AGE)
    merged, conflicts = rebase(base, group(age=AGE), group(email=EMAIL))
    assert merged["traits"] == {} and conflicts == []
