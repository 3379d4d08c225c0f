"""Writes for the audit log: appending one event to the hash chain."""

import ipaddress
import re
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from memadmin.audit import chain, checkpoints, diff, exports, selectors
from memadmin.audit.middleware import current_request
from memadmin.audit.models import GENESIS_HASH, AuditCheckpoint, AuditEvent, Outcome
from memadmin.redaction import clean_json, clean_text

# Any 64-bit number works, as long as nothing else in the database takes the same lock.
APPEND_LOCK_KEY = 0x6D656D6175646974  # "memaudit"
ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# `twilio_code` is a PositiveIntegerField: 0 to 2^31-1 on every backend.
MAX_STORED_TWILIO_CODE = 2**31 - 1


def record(
    *,
    action: str,
    actor=None,
    request: HttpRequest | None = None,
    target=None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    store_id: str = "",
    trait_group: str = "",
    revision_id: int | None = None,
    before=None,
    after=None,
    outcome: str = "success",
    api_status: int | None = None,
    twilio_code: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Appends one event to the chain, inside the caller's transaction if there is one."""
    if not ACTION_PATTERN.match(action):
        raise ValueError(
            f"An action is a dotted verb such as 'traitgroup.submitted', not {action!r}."
        )
    if outcome not in Outcome.values:
        raise ValueError(f"Unknown outcome {outcome!r}; use one of {', '.join(Outcome.values)}.")
    if request is None:
        request = current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    if target is not None:
        target_type = target_type or f"{target._meta.app_label}.{target._meta.model_name}"
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)
    before, after = clean_json(before), clean_json(after)
    if twilio_code is not None and not 0 <= twilio_code <= MAX_STORED_TWILIO_CODE:
        # The spec allows any integer; the column holds 0..2^31-1, so the rest is words.
        detail = f"Twilio error code {twilio_code}. {detail}".strip()
        twilio_code = None
    event = AuditEvent(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=action,
        target_type=target_type[:100],
        target_id=clean_text(str(target_id))[:100],
        target_label=clean_text(target_label)[:255],
        store_id=store_id[:100],
        trait_group=trait_group[:100],
        revision_id=revision_id,
        before=before,
        after=after,
        diff_summary=diff.summary(diff.changes(before, after)),
        outcome=outcome,
        api_status=api_status,
        twilio_code=twilio_code,
        detail=clean_text(detail),
        **_request_fields(request),
    )
    return _append(event)


def _lock_the_chain(using: str) -> None:
    """Makes this transaction the only appender until it ends."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])
    # On SQLite the settings make every transaction BEGIN IMMEDIATE: we already hold
    # the database's single write lock, so nobody appends between a read and our insert.


def _append(event: AuditEvent) -> AuditEvent:
    """Links the event to the last one and saves it, one writer at a time."""
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        _lock_the_chain(using)
        last = AuditEvent.objects.using(using).order_by("-id").values_list("hash", flat=True)
        event.prev_hash = last.first() or GENESIS_HASH
        event.time = timezone.now()
        event.hash = chain.event_hash(event)
        event.save(using=using)
        last_checkpoint = AuditCheckpoint.objects.using(using).order_by("-id").first()
        if checkpoints.is_due(head=event, last=last_checkpoint, using=using):
            checkpoints.make_checkpoint(head=event, time=event.time, using=using)
    return event


def checkpoint_head() -> AuditCheckpoint | None:
    """Signs the chain's current head unless the last checkpoint already covers it."""
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        _lock_the_chain(using)
        head = AuditEvent.objects.using(using).order_by("-id").first()
        last = AuditCheckpoint.objects.using(using).order_by("-id").first()
        if head is None or (last is not None and last.event_id >= head.pk):
            return None
        return checkpoints.make_checkpoint(head=head, time=timezone.now(), using=using)


def _request_fields(request: HttpRequest | None) -> dict[str, str]:
    if request is None:
        return {"request_id": "", "ip_address": "", "user_agent": ""}
    return {
        "request_id": _request_id(request),
        "ip_address": _client_ip(request),
        "user_agent": clean_text(request.META.get("HTTP_USER_AGENT", ""))[:512],
    }


def _request_id(request: HttpRequest) -> str:
    """The caller's X-Request-ID when it looks like one; otherwise one id per request."""
    if not hasattr(request, "audit_request_id"):
        offered = request.META.get("HTTP_X_REQUEST_ID", "").strip()
        request.audit_request_id = (
            offered if REQUEST_ID_PATTERN.match(offered) else str(uuid.uuid4())
        )
    return request.audit_request_id


def _client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address our own proxy saw when AUDIT_TRUST_X_FORWARDED_FOR is on."""
    raw = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.AUDIT_TRUST_X_FORWARDED_FOR:
        # The trusted proxy appends the address it saw; earlier entries are the client's word.
        raw = forwarded.split(",")[-1]
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return ""


def start_export(
    *, actor, request: HttpRequest | None, export_format: str, filters: dict
) -> Iterator[str]:
    """Records who exported which filter, and returns that set, frozen now, as lines."""
    through_id = selectors.get_latest_event_id()
    record(
        action="audit.exported",
        actor=actor,
        request=request,
        after={"format": export_format, "filters": filters, "through_id": through_id},
        detail=f"Exported the audit log as {export_format}.",
    )
    found = selectors.filter_events(**filters)
    if export_format != "jsonl":
        return exports.lines(found, export_format, through_id=through_id)
    public = checkpoints.configured_public_key()
    signing = (
        {"key_id": checkpoints.key_id(public), "public_key": checkpoints.public_key_text(public)}
        if public is not None
        else None
    )
    header = exports.header_record(
        filters=filters, through_id=through_id, exported_at=timezone.now(), signing=signing
    )
    marks = selectors.list_checkpoints_through(through_id)
    return exports.lines(
        found, export_format, through_id=through_id, header=header, checkpoints=marks
    )
