"""The validator: each NOTES.md constraint, on both sides of its boundary."""

import pytest

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups.builder import state as builder_state
from memadmin.traitgroups.validation import ValidationContext, lower_camel_case, validate


def draft(display_name="loyalty", description="", rows=()):
    traits = []
    for key, row in enumerate(rows):
        full = builder_state.blank_row(key)
        full.update(row)
        traits.append(full)
    return {"displayName": display_name, "description": description, "traits": traits}


def issues_at(d, path, context=None):
    return [i for i in validate(d, context) if i.path == path]


def errors_at(d, path, context=None):
    return [i for i in issues_at(d, path, context) if i.is_error]


def warnings_at(d, path, context=None):
    return [i for i in issues_at(d, path, context) if not i.is_error]


def test_the_limits_are_the_contract():
    assert c.MAX_TRAITS_PER_GROUP == 95
    assert c.MAX_DISPLAY_NAME_LENGTH == 64
    assert c.MAX_DESCRIPTION_LENGTH == 1024
    assert c.MAX_ID_TYPE_PROMOTION_LENGTH == 30
    assert c.MAX_PATTERN_LENGTH == 1000


@pytest.mark.parametrize(("length", "ok"), [(1, True), (64, True), (65, False)])
def test_display_name_length(length, ok):
    assert (errors_at(draft("a" * length), "displayName") == []) is ok


def test_an_empty_display_name_is_an_error():
    assert errors_at(draft(""), "displayName")[0].message == "Enter a display name."


@pytest.mark.parametrize("name", ["Contact", "a.b-c_d", "X9"])
def test_display_names_of_the_allowed_characters_pass(name):
    assert errors_at(draft(name), "displayName") == []


@pytest.mark.parametrize("name", ["has space", "slash/", "ünï", "semi;"])
def test_display_names_outside_the_pattern_are_errors(name):
    assert "Use only letters" in errors_at(draft(name), "displayName")[0].message


def test_a_display_name_taken_in_the_store_is_an_error_and_a_case_twin_a_warning():
    context = ValidationContext(existing_names=frozenset({"Contact"}))
    assert "already exists" in errors_at(draft("Contact"), "displayName", context)[0].message
    assert errors_at(draft("contact"), "displayName", context) == []
    assert warnings_at(draft("contact"), "displayName", context)


def test_an_edited_group_cannot_be_renamed():
    context = ValidationContext(fixed_display_name="Contact")
    assert errors_at(draft("Contact"), "displayName", context) == []
    assert errors_at(draft("Other"), "displayName", context)


@pytest.mark.parametrize(("length", "ok"), [(1024, True), (1025, False)])
def test_description_length(length, ok):
    assert (errors_at(draft(description="d" * length), "description") == []) is ok


@pytest.mark.parametrize(("length", "ok"), [(1024, True), (1025, False)])
def test_trait_description_length(length, ok):
    d = draft(rows=[{"name": "a", "description": "d" * length}])
    assert (errors_at(d, "traits.0.description") == []) is ok


@pytest.mark.parametrize(("count", "ok"), [(95, True), (96, False)])
def test_at_most_95_traits(count, ok):
    d = draft(rows=[{"name": f"t{i}", "dataType": "BOOLEAN"} for i in range(count)])
    assert ([i for i in validate(d) if i.is_error] == []) is ok


def test_duplicate_trait_names_are_errors_on_the_later_row():
    d = draft(rows=[{"name": "email"}, {"name": "email"}])
    assert errors_at(d, "traits.0.name") == []
    assert "Trait 1 is also named 'email'" in errors_at(d, "traits.1.name")[0].message


def test_names_that_collide_after_lower_camel_case_normalisation_are_errors():
    d = draft(rows=[{"name": "firstName"}, {"name": "first_name"}])
    assert "both become 'firstName'" in errors_at(d, "traits.1.name")[0].message


def test_a_missing_trait_name_is_an_error():
    assert errors_at(draft(rows=[{"name": ""}]), "traits.0.name")


@pytest.mark.parametrize(
    ("name", "warned"),
    [("firstName", False), ("FirstName", True), ("first_name", True), ("1st", True)],
)
def test_names_that_are_not_lower_camel_case_are_warnings_not_errors(name, warned):
    d = draft(rows=[{"name": name}])
    assert errors_at(d, "traits.0.name") == []
    assert bool(warnings_at(d, "traits.0.name")) is warned


def test_lower_camel_case():
    assert lower_camel_case("first_name") == "firstName"
    assert lower_camel_case("Postal-code") == "postalCode"
    assert lower_camel_case("email") == "email"


def test_a_data_type_outside_the_four_is_an_error():
    assert errors_at(draft(rows=[{"name": "a", "dataType": "DATE"}]), "traits.0.dataType")


@pytest.mark.parametrize(
    ("pattern", "ok"), [("^[a-z]+$", True), ("(unclosed", False), ("*bad", False)]
)
def test_a_pattern_must_compile(pattern, ok):
    d = draft(rows=[{"name": "a", "pattern": pattern}])
    assert (errors_at(d, "traits.0.pattern") == []) is ok


@pytest.mark.parametrize(("length", "ok"), [(1000, True), (1001, False)])
def test_pattern_length(length, ok):
    d = draft(rows=[{"name": "a", "pattern": "a" * length}])
    assert (errors_at(d, "traits.0.pattern") == []) is ok


@pytest.mark.parametrize("pattern", [r"(?P<x>a)", r"\Aabc\Z", r"(?i)abc", r"a++", r"(?>a)"])
def test_python_only_regex_constructs_are_warnings(pattern):
    d = draft(rows=[{"name": "a", "pattern": pattern}])
    assert errors_at(d, "traits.0.pattern") == []
    assert warnings_at(d, "traits.0.pattern")


@pytest.mark.parametrize(
    ("low", "high", "ok"), [("1", "1", True), ("1", "2", True), ("3", "2", False)]
)
def test_min_length_at_most_max_length(low, high, ok):
    d = draft(rows=[{"name": "a", "minLength": low, "maxLength": high}])
    assert (errors_at(d, "traits.0.maxLength") == []) is ok


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("minLength", "0", True),
        ("minLength", "-1", False),
        ("maxLength", "1", True),
        ("maxLength", "0", False),
        ("minLength", "1.5", False),
        ("maxLength", "abc", False),
    ],
)
def test_string_length_bounds(field, value, ok):
    d = draft(rows=[{"name": "a", field: value}])
    assert (errors_at(d, f"traits.0.{field}") == []) is ok


@pytest.mark.parametrize(
    ("low", "high", "ok"),
    [("-5.5", "10", True), ("10", "10", True), ("10", "9.99", False), ("x", "", False)],
)
def test_number_min_at_most_max(low, high, ok):
    d = draft(rows=[{"name": "a", "dataType": "NUMBER", "min": low, "max": high}])
    assert ([i for i in validate(d) if i.is_error] == []) is ok


@pytest.mark.parametrize(
    ("low", "high", "ok"),
    [
        ("0", "0", True),
        ("-1", "", False),
        ("", "-1", False),
        ("3", "2", False),
        ("2", "3", True),
    ],
)
def test_array_item_counts(low, high, ok):
    d = draft(rows=[{"name": "a", "dataType": "ARRAY", "minItems": low, "maxItems": high}])
    assert ([i for i in validate(d) if i.is_error] == []) is ok


def test_rule_fields_of_another_type_are_ignored():
    d = draft(rows=[{"name": "a", "dataType": "BOOLEAN", "minLength": "zzz"}])
    assert [i for i in validate(d) if i.is_error] == []


@pytest.mark.parametrize(("length", "ok"), [(30, True), (31, False)])
def test_id_type_promotion_length(length, ok):
    d = draft(rows=[{"name": "a", "idTypePromotion": "p" * length}])
    assert (errors_at(d, "traits.0.idTypePromotion") == []) is ok


def test_an_unconfigured_identifier_type_is_an_error_naming_the_configured_ones():
    # Twilio refuses a promotion to a type its Identity Resolution Settings lack.
    context = ValidationContext(id_types=("email", "phone"))
    d = draft(rows=[{"name": "a", "idTypePromotion": "fax"}])
    (error,) = errors_at(d, "traits.0.idTypePromotion", context)
    assert "(configured: email, phone)" in error.message
    d = draft(rows=[{"name": "a", "idTypePromotion": "email"}])
    assert issues_at(d, "traits.0.idTypePromotion", context) == []


def test_the_body_built_from_a_draft_is_a_trait_group_request():
    d = draft(
        "loyalty",
        "Points",
        rows=[
            {"name": "tier", "dataType": "STRING", "pattern": "^[A-Z]$", "maxLength": "1"},
            {"name": "points", "dataType": "NUMBER", "min": "0", "max": "2.5"},
            {"name": "vip", "dataType": "BOOLEAN", "minLength": "3"},
            {"name": "email", "idTypePromotion": "email"},
        ],
    )
    assert builder_state.definition_from_draft(d) == {
        "displayName": "loyalty",
        "description": "Points",
        "traits": {
            "tier": {
                "dataType": "STRING",
                "validationRule": {"ruleType": "STRING", "pattern": "^[A-Z]$", "maxLength": 1},
            },
            "points": {
                "dataType": "NUMBER",
                "validationRule": {"ruleType": "NUMBER", "min": 0, "max": 2.5},
            },
            "vip": {"dataType": "BOOLEAN"},
            "email": {"dataType": "STRING", "idTypePromotion": "email"},
        },
    }


def test_a_definition_survives_the_round_trip_through_the_builder():
    body = {
        "displayName": "Contact",
        "description": "d",
        "traits": {
            "n": {
                "dataType": "ARRAY",
                "validationRule": {"ruleType": "ARRAY", "minItems": 0, "maxItems": 3},
            }
        },
    }
    assert builder_state.definition_from_draft(builder_state.draft_from_definition(body)) == body
