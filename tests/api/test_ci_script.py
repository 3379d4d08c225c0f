"""The README's CI job, run as a pipeline would run it: sh and curl against a live memadmin."""

import json
import os
import subprocess
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from memadmin.api import tokens
from memadmin.traitgroups.models import TraitGroupRevision

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "schemas-ci.sh"
README = SCRIPT.parents[1] / "README.md"


def run_job(action: str, directory: Path, url: str, secret: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "MEMADMIN_URL": url,
        "MEMADMIN_TOKEN": secret,
        "STORE": "sandbox",
        "DIR": str(directory),
        "MESSAGE": "Merged PR #7",
    }
    return subprocess.run(
        ["sh", str(SCRIPT), action], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_readme_shows_the_script_that_is_tested():
    assert SCRIPT.read_text() in README.read_text()


def test_the_ci_job_plans_a_pull_request_and_proposes_it_on_merge(
    transactional_db, live_server, make_user, tmp_path
):
    user = make_user("Operator", username="ci-bot")
    _, secret = tokens.create_token(user=user, label="schemas repo CI", role="Operator")
    call_command("memadmin", "export", "sandbox", str(tmp_path), stdout=StringIO())
    contact = tmp_path / "Contact.yaml"
    contact.write_text(
        contact.read_text().replace(
            "  phone:\n", "  loyaltyTier:\n    dataType: STRING\n  phone:\n"
        )
    )

    plan = run_job("plan", tmp_path, live_server.url, secret)
    assert plan.returncode == 0, plan.stderr
    assert json.loads(plan.stdout)["groups"][0]["added"] == ["loyaltyTier"]
    assert not TraitGroupRevision.objects.exists()

    proposed = run_job("propose", tmp_path, live_server.url, secret)
    assert proposed.returncode == 0, proposed.stderr
    (proposal,) = json.loads(proposed.stdout)["proposals"]
    assert proposal["reviewUrl"].startswith(live_server.url + "/reviews/")
    revision = TraitGroupRevision.objects.get()
    assert revision.state == TraitGroupRevision.State.IN_REVIEW
    assert revision.comments.get().body == "Merged PR #7"

    contact.write_text(contact.read_text().replace("dataType: STRING", "dataType: TEXT", 1))
    invalid = run_job("plan", tmp_path, live_server.url, secret)
    assert invalid.returncode == 1
    (problem,) = json.loads(invalid.stdout)["problems"]
    assert problem["file"] == "Contact.yaml" and problem["line"] == 7
    assert "Choose a data type" in problem["message"]
