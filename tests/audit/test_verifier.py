"""The standalone verifier checks an export without memadmin, and names the broken lines."""

import base64
import json
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse

from memadmin.audit import checkpoints
from memadmin.audit import verify_audit_export as verifier
from memadmin.audit.models import AuditCheckpoint

SEED = bytes(range(1, 33))


@pytest.fixture
def signed(settings):
    settings.AUDIT_SIGNING_KEY = base64.b64encode(SEED).decode()
    settings.AUDIT_CHECKPOINT_EVERY_EVENTS = 4
    public = Ed25519PrivateKey.from_private_bytes(SEED).public_key()
    return checkpoints.public_key_text(public)


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.fixture
def ten_events(append, operator):
    return [
        append(
            "traitgroup.submitted",
            actor=operator,
            store_id="MS1",
            trait_group="Loyalty",
            before={"n": n, "rule": {"min": -0.0, "max": 1e-7}},
            after={"n": n + 1, "label": "ünïcødé ✓", "big": 2**62},
            detail=f"event {n}",
        )
        for n in range(10)
    ]


def _exported(client, **filters) -> list[str]:
    response = client.get(reverse("audit:export"), {"format": "jsonl", **filters})
    return b"".join(response.streaming_content).decode().splitlines(keepends=True)


def _run(tmp_path, lines: list[str], *args: str) -> subprocess.CompletedProcess:
    """Runs the file memadmin serves for download, as an outsider would."""
    script = tmp_path / "verify_audit_export.py"
    if not script.exists():
        raise AssertionError("download the verifier first")
    export = tmp_path / "export.jsonl"
    export.write_text("".join(lines), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-I", str(script), str(export), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )


@pytest.fixture
def downloaded(auditor_client, tmp_path):
    response = auditor_client.get(reverse("audit:verifier"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    (tmp_path / "verify_audit_export.py").write_bytes(b"".join(response.streaming_content))
    return tmp_path


def _line_of(lines: list[str], event_id: int) -> int:
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        if record["type"] == "event" and record["id"] == event_id:
            return number
    raise AssertionError(event_id)


def test_an_untouched_export_verifies_with_its_signed_checkpoints(
    auditor_client, signed, ten_events, downloaded
):
    lines = _exported(auditor_client)
    events = sum(json.loads(line)["type"] == "event" for line in lines)
    marks = AuditCheckpoint.objects.count()
    assert marks >= 2
    result = _run(downloaded, lines, "--public-key", signed)
    assert result.returncode == 0, result.stdout
    expected = f"OK: {events} events, {marks} checkpoints ({marks} signatures valid, 0 unsigned)"
    assert expected in result.stdout


def test_a_tampered_line_is_named_by_the_verifier(auditor_client, ten_events, downloaded):
    lines = _exported(auditor_client)
    number = _line_of(lines, ten_events[6].pk)
    record = json.loads(lines[number - 1])
    record["detail"] = "nothing happened"
    lines[number - 1] = json.dumps(record) + "\n"
    result = _run(downloaded, lines)
    assert result.returncode == 1
    assert f"line {number}: event {ten_events[6].pk}: its content does not match" in result.stdout
    assert f"first broken line is {number}" in result.stdout


def test_every_broken_line_is_reported_and_a_removed_one_too(
    auditor_client, ten_events, downloaded
):
    lines = _exported(auditor_client)
    first = _line_of(lines, ten_events[2].pk)
    record = json.loads(lines[first - 1])
    record["actor_id"] = None
    lines[first - 1] = json.dumps(record) + "\n"
    removed = _line_of(lines, ten_events[7].pk)
    del lines[removed - 1]
    result = _run(downloaded, lines)
    assert result.returncode == 1
    assert f"line {first}: event {ten_events[2].pk}: its content" in result.stdout
    assert f"line {removed}: event {ten_events[8].pk}: its prev_hash" in result.stdout


def test_a_rehashed_rewrite_is_caught_by_the_signed_checkpoint(
    auditor_client, signed, ten_events, downloaded
):
    """Whoever rewrites the file and re-hashes it cannot re-sign the checkpoints."""
    lines = _exported(auditor_client)
    previous = None
    for index, line in enumerate(lines):
        record = json.loads(line)
        if record["type"] != "event":
            continue
        if record["id"] == ten_events[1].pk:
            record["detail"] = "rewritten"
        if previous is not None:
            record["prev_hash"] = previous
        record["hash"] = verifier.event_hash(record, verifier.DEFAULT_HASHED_FIELDS)
        previous = record["hash"]
        lines[index] = json.dumps(record) + "\n"
    result = _run(downloaded, lines, "--public-key", signed)
    assert result.returncode == 1
    assert "the log was rewritten after the checkpoint" in result.stdout


def test_a_filtered_export_checks_each_event_but_not_the_links(
    auditor_client, ten_events, downloaded
):
    lines = _exported(auditor_client, search="event 3")
    assert json.loads(lines[0])["complete"] is False
    result = _run(downloaded, lines)
    assert result.returncode == 0, result.stdout


def test_the_verifiers_ed25519_agrees_with_the_cryptography_package():
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    public = base64.b64decode(checkpoints.public_key_text(key.public_key()))
    for message in (b"", b"head", bytes(range(200))):
        signature = key.sign(message)
        assert verifier.ed25519_verify(public, message, signature)
        assert not verifier.ed25519_verify(public, message + b"!", signature)
        forged = bytes([signature[0] ^ 1]) + signature[1:]
        assert not verifier.ed25519_verify(public, message, forged)
