"""The audit benchmark's work, each part in a process of its own (so its peak RSS is its own).

    python -m tests.benchmarks.audit_work seed|lookup|export-csv|export-jsonl

DATABASE_URL names the database. `seed` fills it with SEED_EVENTS realistic events,
hash-chained exactly as memadmin chains them (bulk inserts, hashes computed here), with a
signed checkpoint every CHECKPOINT_EVERY events. The others print one JSON line of results.
"""

import base64
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memadmin.settings")
os.environ.setdefault("AUDIT_SIGNING_KEY", base64.b64encode(b"bench-audit-key-" * 2).decode())

import django

django.setup()

from django.db import connection  # noqa: E402

SEED_EVENTS = int(os.environ.get("AUDIT_BENCH_EVENTS", "1000000"))
CHECKPOINT_EVERY = 1000
BATCH = 5000
STORES = [f"mem_store_0{n:025d}" for n in range(1, 6)]
GROUPS = [
    f"{word}{suffix}"
    for word in ("Contact", "Loyalty", "Preferences", "Orders", "Billing", "Consent", "Travel")
    for suffix in ("", "Eu", "Us", "Beta", "Legacy", "V2", "Archive", "Test")
]  # 56 groups
USERS = [f"{name}{n}" for name in ("olga", "ravi", "mei", "tom", "ana") for n in range(4)]
ACTIONS = [
    ("auth.signed_in", 14),
    ("auth.signed_out", 6),
    ("traitgroup.draft_saved", 22),
    ("traitgroup.draft_created", 5),
    ("review.submitted", 6),
    ("review.commented", 6),
    ("review.approved", 5),
    ("review.changes_requested", 2),
    ("traitgroup.submitted", 6),
    ("operation.status_changed", 18),
    ("traitgroup.publish_failed", 2),
    ("store.synced", 6),
    ("audit.exported", 2),
]
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1",
]
WORDS = [
    "tier",
    "points",
    "email",
    "phone",
    "nickname",
    "postalCode",
    "country",
    "consent",
    "optIn",
    "score",
    "level",
]


def _event(rng: random.Random, n: int, moment: datetime, actor_ids: dict, revision: int) -> dict:
    action = rng.choices([a for a, _ in ACTIONS], weights=[w for _, w in ACTIONS])[0]
    user = rng.choice(USERS)
    store, group = rng.choice(STORES), rng.choice(GROUPS)
    outcome = rng.choices(["success", "failure", "error"], weights=[94, 5, 1])[0]
    event = {
        "time": moment,
        "actor_id": actor_ids[user],
        "actor_username": user,
        "action": action,
        "target_type": "",
        "target_id": "",
        "target_label": "",
        "store_id": "",
        "trait_group": "",
        "revision_id": None,
        "before": None,
        "after": None,
        "diff_summary": "",
        "outcome": outcome,
        "api_status": None,
        "twilio_code": None,
        "detail": "",
        "request_id": str(uuid.UUID(int=rng.getrandbits(128))),
        "ip_address": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        "user_agent": rng.choice(AGENTS),
    }
    if action.startswith("auth."):
        event.update(target_type="auth.user", target_id=str(actor_ids[user]), target_label=user)
    elif action == "operation.status_changed":
        event.update(
            target_type="operations.operation",
            target_id=str(n // 3),
            target_label=f"Update {group} (COMPLETED)",
            store_id=store,
            trait_group=group,
            revision_id=revision,
            before={"status": "RUNNING"},
            after={"status": "COMPLETED" if outcome == "success" else "FAILED"},
            diff_summary="changed: status",
        )
    elif action == "store.synced":
        event.update(store_id=store, detail=f"Synced {rng.randrange(3, 40)} trait groups.")
    elif action == "audit.exported":
        event.update(after={"format": "csv", "filters": {"store_id": store}, "through_id": n})
    else:
        trait = rng.choice(WORDS)
        before = {"displayName": group, "traits": {trait: {"dataType": "STRING"}}}
        after = {
            "displayName": group,
            "traits": {
                trait: {
                    "dataType": "STRING",
                    "description": f"The contact's {trait}",
                    "validationRule": {"ruleType": "STRING", "maxLength": rng.randrange(8, 256)},
                }
            },
        }
        event.update(
            target_type="traitgroups.traitgrouprevision",
            target_id=str(revision),
            target_label=f"Revision {revision} of {group} (draft)",
            store_id=store,
            trait_group=group,
            revision_id=revision,
            before=before,
            after=after,
            diff_summary=f"added: traits.{trait}.description, traits.{trait}.validationRule",
        )
        if action == "traitgroup.publish_failed":
            event.update(
                api_status=400,
                twilio_code=20001,
                outcome="failure",
                detail=f"Twilio rejected {group}: the display name is taken",
            )
    return event


MARK_FIELDS = ("time", "event_id", "head_hash", "key_id", "signature")


def _droppable_extras(raw, on_postgres: bool) -> list[tuple[str, str]]:
    """(drop, create) SQL for the event table's plain indexes (and SQLite's triggers)."""
    if on_postgres:
        found = raw.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_auditevent' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'audit_auditevent'::regclass)"
        ).fetchall()
        return [(f'DROP INDEX "{name}"', sql) for name, sql in found]
    found = raw.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'audit_auditevent' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    return [(f'DROP {kind.upper()} "{name}"', sql) for kind, name, sql in found]


def _copy_postgres(raw, table: str, columns, rows) -> None:
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def seed() -> dict:
    from django.contrib.auth import get_user_model

    from memadmin.accounts import services as accounts
    from memadmin.audit import chain, checkpoints
    from memadmin.audit.models import GENESIS_HASH, AuditEvent
    from memadmin.audit.search import SEARCHED_COLUMNS

    accounts.create_user_with_role(username="bench-auditor", password="x" * 20, role="Auditor")
    User = get_user_model()
    actor_ids = {name: User.objects.create_user(username=name).pk for name in USERS}
    rng = random.Random(20)
    key = checkpoints.signing_key()
    fields = ["id", *chain.HASHED_FIELDS, "hash"]
    # Creating the users recorded a few events already: the seed continues their chain.
    last = AuditEvent.objects.order_by("-id").first()
    prev, offset = (last.hash, last.pk) if last else (GENESIS_HASH, 0)
    connection.ensure_connection()
    raw = connection.connection  # the driver's connection: bulk writes without Django's wrapper
    on_postgres = connection.vendor == "postgresql"
    # Indexes (and SQLite's triggers) are dropped for the bulk insert and rebuilt at the end.
    extras = _droppable_extras(raw, on_postgres)
    for drop, _ in extras:
        raw.execute(drop)
    raw.commit()
    if not on_postgres:
        raw.execute("PRAGMA synchronous = OFF")  # a benchmark's database: speed over durability
    start = datetime.now(UTC) - timedelta(days=730)
    step = timedelta(days=729) / SEED_EVENTS
    public_id = checkpoints.key_id(key.public_key())
    revision, started = 1, time.perf_counter()
    for first in range(offset + 1, offset + SEED_EVENTS + 1, BATCH):
        rows, marks = [], []
        for n in range(first, min(first + BATCH, offset + SEED_EVENTS + 1)):
            if n % 7 == 0:
                revision += 1
            moment = start + step * n + timedelta(microseconds=n % 997)
            event = _event(rng, n, moment, actor_ids, revision)
            event["prev_hash"] = prev
            digest = chain.event_hash(SimpleNamespace(**event))
            # As Django stores it: naive UTC text on SQLite, an aware instant on PostgreSQL.
            event["time"] = moment if on_postgres else str(moment.replace(tzinfo=None))
            for name in ("before", "after"):
                if event[name] is not None:
                    event[name] = json.dumps(event[name])
            rows.append([n, *(event[f] for f in chain.HASHED_FIELDS), digest])
            prev = digest
            if n % CHECKPOINT_EVERY == 0:
                message = checkpoints.signed_message(event_id=n, head_hash=digest, time=moment)
                marks.append([event["time"], n, digest, public_id, key.sign(message).hex()])
        if on_postgres:
            _copy_postgres(raw, "audit_auditevent", fields, rows)
            _copy_postgres(raw, "audit_auditcheckpoint", MARK_FIELDS, marks)
        else:
            if raw.isolation_level is None:  # Django runs SQLite in autocommit mode
                raw.execute("BEGIN")
            qmarks = ", ".join("?" for _ in fields)
            raw.executemany(
                f"INSERT INTO audit_auditevent ({', '.join(fields)}) VALUES ({qmarks})",  # noqa: S608
                rows,
            )
            raw.executemany(
                f"INSERT INTO audit_auditcheckpoint ({', '.join(MARK_FIELDS)}) "  # noqa: S608
                "VALUES (?, ?, ?, ?, ?)",
                marks,
            )
        raw.commit()
    for _, create in extras:
        raw.execute(create)
    if on_postgres:
        raw.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), "
            "(SELECT max(id) FROM audit_auditevent))"
        )
    else:
        body = " || ' ' || ".join(SEARCHED_COLUMNS)
        raw.execute(
            f"INSERT INTO audit_eventsearch(rowid, body) SELECT id, {body} "  # noqa: S608
            "FROM audit_auditevent WHERE id > ?",
            [offset],
        )
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"events": SEED_EVENTS, "seconds": time.perf_counter() - started}


def _lookups(rng: random.Random, newest: int, revisions: int) -> list[dict]:
    """A mix of what auditors ask: filtered first pages, deep keyset pages, searches."""
    day = datetime.now(UTC).date() - timedelta(days=rng.randrange(1, 700))
    deep = rng.randrange(newest // 10, newest)
    kinds = [
        {"actor": rng.choice(USERS)},
        {"action": rng.choice(ACTIONS)[0]},
        {"action": "review.*"},
        {"store_id": rng.choice(STORES)},
        {"store_id": rng.choice(STORES), "trait_group": rng.choice(GROUPS)},
        {"outcome": "error"},
        {"outcome": "failure", "action": "traitgroup.publish_failed"},
        {"since": day, "until": day},
        {"revision": rng.randrange(1, revisions)},
        {"actor": rng.choice(USERS), "before": deep},
        {"store_id": rng.choice(STORES), "trait_group": rng.choice(GROUPS), "before": deep},
        {"before": deep},
        {"search": rng.choice(GROUPS)},
        {"search": "rejected " + rng.choice(GROUPS)},
        {"search": rng.choice(WORDS), "actor": rng.choice(USERS)},
        {"search": rng.choice(USERS), "before": deep},
    ]
    return kinds


def lookup() -> dict:
    from memadmin.audit import selectors
    from memadmin.audit.models import AuditEvent

    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    revisions = newest // 7
    rng = random.Random(7)
    timings, by_kind, cpu_timings = [], {}, []
    for round_number in range(25):
        for index, filters in enumerate(_lookups(rng, newest, revisions)):
            started, cpu_started = time.perf_counter(), time.process_time()
            page = selectors.get_events_page(**filters)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu_started) * 1000
            if round_number:  # the first round warms the page cache
                timings.append(elapsed)
                cpu_timings.append(cpu)
                by_kind.setdefault(index, []).append(elapsed)
            assert len(page.events) <= selectors.PAGE_SIZE
    p95 = statistics.quantiles(timings, n=20)[18]
    slowest = {k: round(statistics.quantiles(v, n=20)[18], 1) for k, v in by_kind.items()}
    return {
        "p95_ms": p95,
        "cpu_p95_ms": statistics.quantiles(cpu_timings, n=20)[18],
        "median_ms": statistics.median(timings),
        "p95_by_kind": slowest,
        "load_average": os.getloadavg()[0],
    }


def export(export_format: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from memadmin.audit.models import AuditEvent

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench-auditor"))
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get("/audit/export/", {"format": export_format})
    chunks = iter(response.streaming_content)
    size = len(next(chunks))
    first_byte = time.perf_counter() - started
    lines = 0
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    exported = AuditEvent.objects.filter(action="audit.exported").latest("id")
    return {
        "seconds": total,
        "cpu_seconds": cpu,
        "load_average": os.getloadavg()[0],
        "first_byte_ms": first_byte * 1000,
        "megabytes": size / 1e6,
        "lines": lines,
        "peak_rss_mb": peak_mb,
        "streaming": response.streaming,
        "audited_as": exported.pk,
    }


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "seed":
        result = seed()
    elif mode == "lookup":
        result = lookup()
    else:
        result = export(mode.removeprefix("export-"))
    print(json.dumps(result, default=str))
