"""Schemas as code from a terminal: export, edit a file, plan, propose, review, export again."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.operations import polling
from memadmin.operations.models import Operation
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State
LOYALTY_TIER = """\
  loyaltyTier:
    dataType: STRING
    description: Bronze, silver or gold
    validationRule:
      ruleType: STRING
      maxLength: 16
"""


def memadmin(*args) -> str:
    out = StringIO()
    call_command("memadmin", *map(str, args), stdout=out)
    return out.getvalue()


def memadmin_json(*args) -> dict:
    return json.loads(memadmin(*args, "--json"))


def failing(*args) -> tuple[CommandError, str]:
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("memadmin", *map(str, args), stdout=out)
    return caught.value, out.getvalue()


def add_loyalty_tier(path) -> str:
    """Edits Contact.yaml by hand, the way a person would: one trait, in name order."""
    text = path.read_text()
    edited = text.replace("  phone:\n", LOYALTY_TIER + "  phone:\n")
    assert edited != text
    path.write_text(edited)
    return edited


def test_an_edited_file_goes_through_review_and_comes_back_byte_for_byte(
    tmp_path, client, make_user
):
    author = make_user("Operator", username="olga")
    reviewer = make_user("Reviewer", username="rita")
    exported = tmp_path / "exported"
    memadmin("export", "sandbox", exported)
    edited = add_loyalty_tier(exported / "Contact.yaml")

    plan = memadmin_json("plan", "sandbox", exported)
    assert plan["valid"] and plan["problems"] == []
    (contact,) = plan["groups"]
    assert contact["action"] == "update"
    assert contact["added"] == ["loyaltyTier"]
    assert contact["removed"] == contact["changed"] == contact["breaking"] == []
    assert contact["description"] is None
    words = memadmin("plan", "sandbox", exported)
    assert "+ trait loyaltyTier (STRING)" in words
    assert "risk tier: LOW (adds `loyaltyTier`)" in words
    assert contact["riskTier"] == "LOW"

    proposed = memadmin_json(
        "propose", "sandbox", exported, "--as", "olga", "-m", "PR #12: loyalty tiers",
        "--base-url", "https://memadmin.example.com",
    )  # fmt: skip
    (proposal,) = proposed["proposals"]
    revision = TraitGroupRevision.objects.get(pk=proposal["review"])
    assert proposal["reviewUrl"] == f"https://memadmin.example.com/reviews/{revision.pk}/"
    assert revision.state == State.IN_REVIEW and revision.author == author
    assert revision.comments.get().body == "PR #12: loyalty tiers"
    assert not Operation.objects.exists(), "nothing is published without approvals"
    waiting, _ = failing("status", revision.pk)
    assert waiting.returncode == 3

    client.force_login(reviewer)
    assert client.post(reverse("reviews:approve", args=[revision.pk])).status_code == 302
    assert client.post(reverse("reviews:publish", args=[revision.pk])).status_code == 302
    polling.poll(operation_id=Operation.objects.get().pk, force=True)
    revision.refresh_from_db()
    assert revision.state == State.PUBLISHED
    assert memadmin_json("status", revision.pk)["reviews"][0]["phase"] == "published"

    again = tmp_path / "again"
    memadmin("export", "sandbox", again)
    assert (again / "Contact.yaml").read_bytes() == edited.encode()
    assert memadmin_json("plan", "sandbox", again)["groups"][0]["action"] == "unchanged"


def test_the_patch_of_a_proposal_touches_only_what_the_file_changed(tmp_path, make_user):
    make_user("Operator", username="olga")
    memadmin("export", "sandbox", tmp_path)
    add_loyalty_tier(tmp_path / "Contact.yaml")

    memadmin("propose", "sandbox", tmp_path, "--as", "olga")

    revision = TraitGroupRevision.objects.get()
    assert revision.kind == TraitGroupRevision.Kind.UPDATE
    changed = {
        name
        for name, trait in revision.definition["traits"].items()
        if revision.base_definition["traits"].get(name) != trait
    }
    assert changed == {"loyaltyTier"}


def test_a_new_file_proposes_a_new_group_and_a_rerun_proposes_nothing_twice(
    tmp_path, make_user, store_id
):
    make_user("Operator", username="olga")
    (tmp_path / "Preferences.json").write_text(
        json.dumps(
            {
                "formatVersion": 1,
                "store": store_id,
                "displayName": "Preferences",
                "traits": {"language": {"dataType": "STRING"}},
            }
        )
    )
    first = memadmin_json("propose", "sandbox", tmp_path, "--as", "olga")["proposals"]
    second = memadmin_json("propose", "sandbox", tmp_path, "--as", "olga")["proposals"]

    assert [p["name"] for p in first] == ["Preferences"]
    assert second[0]["review"] == first[0]["review"] and second[0]["alreadyOpen"]
    revision = TraitGroupRevision.objects.get()
    assert revision.kind == TraitGroupRevision.Kind.CREATE
    assert revision.state == State.IN_REVIEW
    event = AuditEvent.objects.get(action="schemafiles.proposed")
    assert event.actor_username == "olga" and "via the command line" in event.detail


def test_a_reviewer_cannot_propose_from_the_command_line(tmp_path, make_user):
    make_user("Reviewer", username="rita")
    memadmin("export", "sandbox", tmp_path)
    add_loyalty_tier(tmp_path / "Contact.yaml")

    error, _ = failing("propose", "sandbox", tmp_path, "--as", "rita")

    assert "Only operators" in str(error)
    assert not TraitGroupRevision.objects.exists()


def test_status_of_a_review_sent_back_exits_as_stopped(tmp_path, make_user, client):
    make_user("Operator", username="olga")
    memadmin("export", "sandbox", tmp_path)
    add_loyalty_tier(tmp_path / "Contact.yaml")
    memadmin("propose", "sandbox", tmp_path, "--as", "olga")
    revision = TraitGroupRevision.objects.get()
    client.force_login(make_user("Reviewer", username="rita"))
    client.post(reverse("reviews:request_changes", args=[revision.pk]), {"body": "Not yet"})

    error, out = failing("status", revision.pk)

    assert error.returncode == 1
    assert "Changes requested" in out


def test_json_export_round_trips_through_plan_unchanged(tmp_path):
    memadmin("export", "production", tmp_path, "--format", "json")
    document = json.loads((tmp_path / "Contact.json").read_text())
    assert list(document)[:3] == ["formatVersion", "store", "displayName"]
    plan = memadmin_json("plan", "production", tmp_path)
    assert [g["action"] for g in plan["groups"]] == ["unchanged"]


def test_an_unknown_store_is_named_in_the_error(tmp_path):
    error, _ = failing("plan", "nowhere", tmp_path)
    assert "nowhere" in str(error)


def test_detailed_exit_codes_tell_a_pipeline_whether_anything_would_change(tmp_path):
    memadmin("export", "sandbox", tmp_path)
    memadmin("plan", "sandbox", tmp_path, "--detailed-exitcode")  # nothing to change: exit 0

    add_loyalty_tier(tmp_path / "Contact.yaml")
    error, _ = failing("plan", "sandbox", tmp_path, "--detailed-exitcode")

    assert error.returncode == 2
