#!/usr/bin/env python3
"""Checks a memadmin audit export (JSON Lines) without trusting memadmin. Python 3.10+, stdlib only.

    python3 verify_audit_export.py export.jsonl [--public-key BASE64]

It recomputes every event's SHA-256 from the fields the hash covers, checks that each event
names the previous one's hash (in a complete, unfiltered export), and checks each signed
checkpoint: that it matches the event it covers and that its Ed25519 signature holds under
the public key. Give the public key you received from memadmin's operators out of band:
the key printed in the file's header is only what the file says about itself.

It prints every broken line, names the first, and exits 1 if anything is wrong; 0 otherwise.
"""

import argparse
import base64
import hashlib
import json
import sys

GENESIS_HASH = "0" * 64
SIGNED_AS = "memadmin-audit-checkpoint-v1"
DEFAULT_HASHED_FIELDS = (
    "time", "actor_id", "actor_username", "action", "target_type", "target_id",
    "target_label", "store_id", "trait_group", "revision_id", "before", "after",
    "diff_summary", "outcome", "api_status", "twilio_code", "detail", "request_id",
    "ip_address", "user_agent", "prev_hash",
)  # fmt: skip


def canonical(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def event_hash(record: dict, fields) -> str:
    return hashlib.sha256(canonical({name: record.get(name) for name in fields})).hexdigest()


# Ed25519 verification (RFC 8032, section 6), so that no third-party package is needed.
_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _recover_x(y: int, sign: int):
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0)
_G = (_GX, _GY, 1, _GX * _GY % _P)


def _add(a, b):
    e1 = (a[1] - a[0]) * (b[1] - b[0]) % _P
    e2 = (a[1] + a[0]) * (b[1] + b[0]) % _P
    c = 2 * a[3] * b[3] * _D % _P
    d = 2 * a[2] * b[2] % _P
    e, f, g, h = e2 - e1, d - c, d + c, e2 + e1
    return (e * f, g * h, f * g, e * h)


def _mul(scalar: int, point):
    result = (0, 1, 1, 0)
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _equal(a, b) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def _decompress(raw: bytes):
    if len(raw) != 32:
        return None
    y = int.from_bytes(raw, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _decompress(public), _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _Q
    return _equal(_mul(s, _G), _add(r, _mul(h, a)))


def signed_message(checkpoint: dict) -> bytes:
    document = {
        "event_id": checkpoint["event_id"],
        "head_hash": checkpoint["head_hash"],
        "signed_as": SIGNED_AS,
        "time": checkpoint["time"],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def verify(lines, public_key: bytes | None = None) -> tuple[list[tuple[int, str]], dict]:
    """Every (line number, problem) found, and counts of what was checked."""
    problems: list[tuple[int, str]] = []
    counts = {"events": 0, "checkpoints": 0, "signatures": 0, "unsigned": 0}
    fields, complete, header_key = DEFAULT_HASHED_FIELDS, False, None
    last_id, last_hash, last_line = None, GENESIS_HASH, None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            problems.append((number, "not valid JSON"))
            continue
        kind = record.get("type", "event")
        if kind == "header":
            fields = tuple(record.get("hashed_fields") or DEFAULT_HASHED_FIELDS)
            complete = bool(record.get("complete"))
            signing = record.get("signing_key") or {}
            if signing.get("public_key"):
                header_key = base64.b64decode(signing["public_key"])
            continue
        if kind == "checkpoint":
            counts["checkpoints"] += 1
            if record.get("event_id") == last_id and record.get("head_hash") != last_hash:
                problems.append(
                    (
                        number,
                        f"checkpoint {record.get('id')} signed hash {record.get('head_hash')} "
                        f"for event {last_id}, but the file's event (line {last_line}) "
                        f"has {last_hash}: the log was rewritten after the checkpoint",
                    )
                )
            elif complete and record.get("event_id") != last_id:
                problems.append(
                    (
                        number,
                        f"checkpoint {record.get('id')} covers event {record.get('event_id')}, "
                        "which is not in this complete export (events were removed)",
                    )
                )
            if not record.get("signature"):
                counts["unsigned"] += 1
                continue
            key = public_key or header_key
            if key is None:
                continue
            if record.get("key_id") != key_id(key):
                problems.append((number, f"checkpoint {record.get('id')} signed by another key"))
            elif not ed25519_verify(
                key, signed_message(record), bytes.fromhex(record["signature"])
            ):
                problems.append((number, f"checkpoint {record.get('id')}: signature is not valid"))
            else:
                counts["signatures"] += 1
            continue
        counts["events"] += 1
        try:
            recomputed = event_hash(record, fields)
        except (TypeError, ValueError):
            recomputed = None
        if recomputed != record.get("hash"):
            problems.append(
                (number, f"event {record.get('id')}: its content does not match its hash")
            )
        if complete and record.get("prev_hash") != last_hash:
            before = f"line {last_line}" if last_line else "the start of the chain"
            problems.append(
                (
                    number,
                    f"event {record.get('id')}: its prev_hash is not the hash of {before} "
                    "(events were removed, inserted, reordered or rewritten)",
                )
            )
        last_id, last_hash, last_line = record.get("id"), record.get("hash"), number
    return problems, counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="the .jsonl file memadmin exported")
    parser.add_argument("--public-key", default="", help="the trusted Ed25519 key, base64")
    args = parser.parse_args(argv)
    public = base64.b64decode(args.public_key) if args.public_key else None
    with open(args.export, encoding="utf-8") as handle:
        problems, counts = verify(handle, public)
    for number, reason in problems:
        print(f"line {number}: {reason}")
    summary = (
        f"{counts['events']} events, {counts['checkpoints']} checkpoints "
        f"({counts['signatures']} signatures valid, {counts['unsigned']} unsigned)"
    )
    if problems:
        print(
            f"BROKEN: first broken line is {problems[0][0]}; {len(problems)} problem(s). {summary}"
        )
        return 1
    if public is None and counts["signatures"]:
        summary += "; signatures checked against the key the file names (pass --public-key)"
    print(f"OK: {summary}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
