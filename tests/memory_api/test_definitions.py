"""What counts as the same trait group definition: one answer for diff, drift and reconcile."""

import pytest

from memadmin.memory_api.definitions import (
    apply_patch,
    is_same_definition,
    make_request_body,
    minimal_patch,
)
from memadmin.stores.selectors import is_drifted
from memadmin.traitgroups.diff import definition_changes, diff_definitions

EMAIL = {"dataType": "STRING", "validationRule": {"ruleType": "STRING", "maxLength": 200}}
PUBLISHED = {"displayName": "Contact", "description": "People", "traits": {"email": EMAIL}}

SAME = {
    "keys in another order": {
        "traits": {"email": {"validationRule": EMAIL["validationRule"], "dataType": "STRING"}},
        "description": "People",
        "displayName": "Contact",
    },
    "null-valued keys": {
        **PUBLISHED,
        "traits": {"email": {**EMAIL, "description": None, "idTypePromotion": None}},
    },
    "a null inside a validation rule": {
        **PUBLISHED,
        "traits": {"email": {**EMAIL, "validationRule": {**EMAIL["validationRule"], "min": None}}},
    },
}
CHANGED = {
    "a trait field": {**PUBLISHED, "traits": {"email": {**EMAIL, "dataType": "NUMBER"}}},
    "a validation bound": {
        **PUBLISHED,
        "traits": {"email": {**EMAIL, "validationRule": {"ruleType": "STRING", "maxLength": 9}}},
    },
    "an added trait": {**PUBLISHED, "traits": {"email": EMAIL, "age": {"dataType": "NUMBER"}}},
    "a removed trait": {**PUBLISHED, "traits": {}},
    "the description": {**PUBLISHED, "description": "Customers"},
}


@pytest.mark.parametrize("live", SAME.values(), ids=SAME.keys())
def test_the_same_definition_is_neither_drift_nor_a_diff(live):
    assert is_same_definition(live, PUBLISHED)
    assert not is_drifted(live=live, published=PUBLISHED)
    assert diff_definitions(PUBLISHED, live).is_empty
    assert definition_changes(PUBLISHED, live) == []
    assert minimal_patch(PUBLISHED, live) == {}


@pytest.mark.parametrize("live", CHANGED.values(), ids=CHANGED.keys())
def test_a_changed_definition_is_drift_and_a_diff(live):
    assert not is_same_definition(live, PUBLISHED)
    assert is_drifted(live=live, published=PUBLISHED)
    assert not diff_definitions(PUBLISHED, live).is_empty
    assert definition_changes(PUBLISHED, live)
    assert not is_same_definition(apply_patch(PUBLISHED, minimal_patch(PUBLISHED, live)), PUBLISHED)


def test_an_absent_description_or_traits_is_the_same_as_an_empty_one():
    bare = {"displayName": "Contact"}
    for empty in ({**bare, "description": ""}, {**bare, "description": None, "traits": {}}):
        assert is_same_definition(bare, empty)
        assert diff_definitions(bare, empty).is_empty


def test_no_group_is_not_the_same_as_an_empty_one_and_is_never_drift():
    assert not is_same_definition(None, {"displayName": "Contact"})
    assert is_same_definition(None, None)
    assert not is_drifted(live=None, published=PUBLISHED)


def test_a_request_body_copies_the_traits_and_leaves_out_an_empty_description():
    body = make_request_body(display_name="Contact", definition={**PUBLISHED, "description": ""})
    assert body == {"displayName": "Contact", "traits": {"email": EMAIL}}
    assert body["traits"]["email"] is not EMAIL
    assert make_request_body(display_name="New", definition=None) == {
        "displayName": "New",
        "traits": {},
    }
