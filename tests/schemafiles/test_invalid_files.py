"""An invalid file makes `plan` fail, naming the file, the line and the reason."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from memadmin.schemafiles import fileformat


def header(store_id: str, name: str = "Loyalty") -> str:
    return f"formatVersion: 1\nstore: {store_id}\ndisplayName: {name}\ntraits:\n"


def plan_fails(directory) -> str:
    """Runs plan, which must exit 1; returns what it said (problems, one a line)."""
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("memadmin", "plan", "sandbox", str(directory), stdout=out)
    assert caught.value.returncode == 1
    return out.getvalue()


@pytest.mark.django_db
def test_a_96th_trait_is_refused_at_its_line(tmp_path, store_id):
    traits = "".join(f"  trait{n}:\n    dataType: STRING\n" for n in range(1, 97))
    (tmp_path / "Loyalty.yaml").write_text(header(store_id) + traits)

    said = plan_fails(tmp_path)

    # Four header lines, then two lines a trait: trait96 starts on line 4 + 2*95 + 1.
    assert "Loyalty.yaml:195: traits.trait96: A trait group holds at most 95 traits" in said


@pytest.mark.django_db
def test_a_bad_group_name_is_refused_at_its_line(tmp_path, store_id):
    (tmp_path / "bad.yaml").write_text(
        header(store_id, "Loyalty Tiers!") + "  a:\n    dataType: STRING\n"
    )

    said = plan_fails(tmp_path)

    assert "bad.yaml:3: displayName: Use only letters, digits, underscore, hyphen and dot" in said


@pytest.mark.django_db
def test_an_unknown_identifier_type_is_refused_at_its_line(tmp_path, store_id):
    text = header(store_id) + (
        "  memberId:\n    dataType: STRING\n    idTypePromotion: loyaltyCard\n"
    )
    (tmp_path / "Loyalty.yaml").write_text(text)

    said = plan_fails(tmp_path)

    assert "Loyalty.yaml:7: traits.memberId.idTypePromotion: 'loyaltyCard' is not an " in said
    assert "(configured: email, phone)" in said


@pytest.mark.django_db
def test_a_rule_of_the_wrong_type_is_refused_at_its_line(tmp_path, store_id):
    text = header(store_id) + (
        "  visits:\n    dataType: NUMBER\n    validationRule:\n      ruleType: NUMBER\n"
        "      min: 10\n      max: 1\n"
    )
    (tmp_path / "Loyalty.yaml").write_text(text)

    said = plan_fails(tmp_path)

    assert "Loyalty.yaml:10: traits.visits.validationRule.max: Must be at least min (10)." in said


@pytest.mark.django_db
def test_an_unknown_property_is_refused_at_its_line(tmp_path, store_id):
    text = header(store_id) + "  tier:\n    dataType: STRING\n    colour: gold\n"
    (tmp_path / "Loyalty.yaml").write_text(text)

    said = plan_fails(tmp_path)

    assert "Loyalty.yaml:7: traits.tier: unknown properties colour." in said


@pytest.mark.django_db
def test_a_file_of_another_store_is_refused(tmp_path, instant_emulator):
    production = instant_emulator.store_ids[1]
    (tmp_path / "Loyalty.yaml").write_text(header(production) + "  a:\n    dataType: STRING\n")

    said = plan_fails(tmp_path)

    assert f"Loyalty.yaml:2: This file belongs to store '{production}'" in said


@pytest.mark.django_db
def test_two_files_for_one_group_are_refused(tmp_path, store_id):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(header(store_id) + "  x:\n    dataType: STRING\n")

    said = plan_fails(tmp_path)

    assert "b.yaml:3: a.yaml describes 'Loyalty' too" in said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("formatVersion: 1\nstore: s\ntraits:\n  a: [\n", "x.yaml:5: Not valid YAML"),
        ("store: s\n", "x.yaml:1: Start the file with 'formatVersion: 1'"),
        ("formatVersion: 2\nstore: s\n", "x.yaml:1: formatVersion 2 is not one memadmin reads"),
        ("formatVersion: 1\nstore: s\nstore: t\n", "x.yaml:3: 'store' appears twice"),
        ("formatVersion: 1\nstore: s\ntraits:\n  on: {}\n", "x.yaml:4: The key 'on' is not text"),
        ("a: &x [1]\nb: *x\n", "x.yaml:2: Aliases are not allowed"),
        ("- 1\n", "x.yaml:1: Expected a mapping"),
        ("", "x.yaml:1: The file is empty"),
    ],
)
def test_unreadable_yaml_is_explained_with_its_line(text, expected):
    assert str(fileformat.parse("x.yaml", text)).startswith(expected)


def test_broken_json_is_explained_with_its_line():
    problem = fileformat.parse("x.json", '{\n  "formatVersion": 1,\n  "store": }\n')
    assert str(problem).startswith("x.json:3: Not valid JSON")


def test_json_files_report_lines_too():
    text = '{\n  "formatVersion": 1,\n  "store": "s",\n  "displayName": "X"\n}\n'
    group = fileformat.parse("x.json", text)
    assert group.line_of("displayName") == 4


@pytest.mark.django_db
def test_a_51st_group_in_the_store_is_refused(tmp_path, store_id, monkeypatch):
    from memadmin.schemafiles import planning

    monkeypatch.setattr(planning, "MAX_GROUPS_PER_STORE", 2)  # Contact is the first
    for name in ("Second", "Third"):
        (tmp_path / f"{name}.yaml").write_text(
            header(store_id, name) + "  a:\n    dataType: STRING\n"
        )

    said = plan_fails(tmp_path)

    assert "Third.yaml: A store holds at most 2 trait groups; it has 1" in said
    assert "Second.yaml" not in said
