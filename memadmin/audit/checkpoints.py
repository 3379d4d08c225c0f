"""Signed checkpoints of the hash chain's head, and checking them.

Every AUDIT_CHECKPOINT_EVERY_EVENTS events (in the appending transaction) and at least
every AUDIT_CHECKPOINT_MAX_AGE_SECONDS (a repeating task), memadmin records the last
event's id and hash, signed with the Ed25519 key in AUDIT_SIGNING_KEY. The key is read
from settings when signing and is never stored, shown, logged or exported: only its
public half and a short fingerprint (`key_id`) are. Without a key, checkpoints are
recorded unsigned, which still catches a truncated tail but not a determined rewriter.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from memadmin.audit.models import AuditCheckpoint, AuditEvent

SIGNED_AS = "memadmin-audit-checkpoint-v1"


@dataclass(frozen=True)
class CheckpointProblem:
    checkpoint_id: int
    reason: str

    def __str__(self) -> str:
        return f"checkpoint {self.checkpoint_id}: {self.reason}"


def signing_key() -> Ed25519PrivateKey | None:
    """The private key from AUDIT_SIGNING_KEY (base64 of the 32-byte seed, or PEM), if any."""
    configured = settings.AUDIT_SIGNING_KEY.strip()
    if not configured:
        return None
    try:
        if configured.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(configured.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured, validate=True))
    except (ValueError, TypeError, binascii.Error):
        # The message never quotes the value: it is a secret even when malformed.
        raise ImproperlyConfigured(
            "AUDIT_SIGNING_KEY is not an Ed25519 private key (base64 of 32 bytes, or PEM)."
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be an Ed25519 key.")
    return key


def public_key_text(public: Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes: what the verifier takes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key given as base64 of 32 bytes; ValueError otherwise."""
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))
    except (ValueError, binascii.Error):
        raise ValueError("A public key is base64 of 32 bytes.") from None


def key_id(public: Ed25519PublicKey) -> str:
    """A short fingerprint naming the key that signed a checkpoint."""
    return hashlib.sha256(base64.b64decode(public_key_text(public))).hexdigest()[:16]


def configured_public_key() -> Ed25519PublicKey | None:
    """The public half of AUDIT_SIGNING_KEY, or None when no key is configured."""
    key = signing_key()
    return key.public_key() if key is not None else None


def signed_message(*, event_id: int, head_hash: str, time) -> bytes:
    """The exact bytes a checkpoint's signature covers (the verifier builds the same)."""
    document = {
        "event_id": event_id,
        "head_hash": head_hash,
        "signed_as": SIGNED_AS,
        "time": time.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def make_checkpoint(*, head: AuditEvent, time, using: str) -> AuditCheckpoint:
    """Writes one checkpoint of `head`; the caller holds the append lock."""
    key = signing_key()
    checkpoint = AuditCheckpoint(time=time, event_id=head.pk, head_hash=head.hash)
    if key is not None:
        message = signed_message(event_id=head.pk, head_hash=head.hash, time=time)
        checkpoint.signature = key.sign(message).hex()
        checkpoint.key_id = key_id(key.public_key())
    checkpoint.save(using=using)
    return checkpoint


def is_due(*, head: AuditEvent, last: AuditCheckpoint | None, using: str) -> bool:
    """Whether enough events arrived since the last checkpoint to sign the head."""
    every = settings.AUDIT_CHECKPOINT_EVERY_EVENTS
    covered = last.event_id if last is not None else 0
    if head.pk - covered < every:
        return False  # ids only ever skip numbers (rolled-back inserts), never repeat
    since = AuditEvent.objects.using(using).filter(id__gt=covered)
    return since.count() >= every


def signature_problem(checkpoint: AuditCheckpoint, public: Ed25519PublicKey) -> str | None:
    """Why the signature of `checkpoint` does not hold under `public`, or None if it does."""
    if not checkpoint.is_signed:
        return None
    if checkpoint.key_id != key_id(public):
        return f"signed by key {checkpoint.key_id}, not by the trusted key {key_id(public)}"
    message = signed_message(
        event_id=checkpoint.event_id, head_hash=checkpoint.head_hash, time=checkpoint.time
    )
    try:
        public.verify(bytes.fromhex(checkpoint.signature), message)
    except (InvalidSignature, ValueError):
        return "its signature does not match its content (the checkpoint was forged or changed)"
    return None
