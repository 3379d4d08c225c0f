"""The audit log at 1,000,000 events: lookups, and streaming exports an outsider can verify.

The events are seeded once into var/bench/audit-<SEED_VERSION>-<count>.sqlite3 (about two
minutes), then reused: change SEED_VERSION when the schema or the seed changes. Each
measurement runs in a process of its own (tests/benchmarks/audit_work.py), so the export's
peak RSS is the export's. With AUDIT_BENCH_POSTGRES_URL (a database of its own, emptied
by nobody: the seed stays there for the next run) the same runs on PostgreSQL, its lines
suffixed `_pg`; AUDIT_BENCH_POSTGRES_EVENTS seeds fewer events there (the figure says so).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.servers import ROOT

SEED_VERSION = 1
EVENTS = int(os.environ.get("AUDIT_BENCH_EVENTS", "1000000"))


def _work(mode: str, database_url: str, *, events: int = EVENTS) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, LOG_LEVEL="WARNING", AUDIT_BENCH_EVENTS=str(events))
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.audit_work", mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{mode} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _migrate(database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def seeded_sqlite() -> str:
    """The cached seeded database's URL, seeding it first if it is missing."""
    cache = ROOT / "var" / "bench"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"audit-{SEED_VERSION}-{EVENTS}.sqlite3"
    if not path.exists():
        building = path.with_suffix(".building")
        for stale in cache.glob(f"{building.name}*"):
            stale.unlink()
        url = f"sqlite:///{building}"
        _migrate(url)
        report = _work("seed", url)
        print(f"# seeded {report['events']} events in {report['seconds']:.0f} s", file=sys.stderr)
        for suffix in ("-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        building.rename(path)
    _migrate(f"sqlite:///{path}")  # other apps may have gained tables since it was seeded
    return f"sqlite:///{path}"


def seeded_postgres(database_url: str, events: int) -> str:
    """`database_url`, migrated, and seeded unless an earlier run seeded it already."""
    _migrate(database_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEEDED_CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seeded = done.stdout.strip().splitlines()[-1]
    if seeded == "partly":
        raise RuntimeError(f"{database_url} holds a seed cut short: drop it and run again")
    if seeded != "True":
        report = _work("seed", database_url, events=events)
        print(f"# seeded {report['events']} events in {report['seconds']:.0f} s", file=sys.stderr)
    return database_url


# The seed creates bench-auditor first, drops the lookup indexes, and rebuilds them last.
SEEDED_CHECK = """
from django.contrib.auth import get_user_model
from django.db import connection
started = get_user_model().objects.filter(username="bench-auditor").exists()
with connection.cursor() as cursor:
    constraints = connection.introspection.get_constraints(cursor, "audit_auditevent")
indexed = "audit_store_idx" in constraints
print(("True" if indexed else "partly") if started else "False")
"""


def _measure(database_url: str, label: str, suffix: str = "") -> list[tuple[str, float, str]]:
    lookups = _work("lookup", database_url)
    print(f"# {label} lookups: {lookups}", file=sys.stderr)
    exports = {fmt: _work(f"export-{fmt}", database_url) for fmt in ("csv", "jsonl")}
    for fmt, result in exports.items():
        if not result["streaming"]:
            raise RuntimeError(f"the {fmt} export did not stream")
        print(f"# {label} {fmt} export: {result}", file=sys.stderr)
    return [
        (f"audit_lookup_p95_ms{suffix}", lookups["p95_ms"], "ms"),
        (f"audit_export_1m_s{suffix}", max(r["seconds"] for r in exports.values()), "s"),
        (
            f"audit_export_peak_rss_mb{suffix}",
            max(r["peak_rss_mb"] for r in exports.values()),
            "MB",
        ),
        # CPU time beside wall time: on a shared machine the wall clock measures the others too.
        (f"audit_lookup_cpu_p95_ms{suffix}", lookups["cpu_p95_ms"], "ms"),
        (f"audit_export_1m_cpu_s{suffix}", max(r["cpu_seconds"] for r in exports.values()), "s"),
        (f"audit_export_1m_csv_s{suffix}", exports["csv"]["seconds"], "s"),
        (f"audit_export_1m_jsonl_s{suffix}", exports["jsonl"]["seconds"], "s"),
        (
            f"audit_export_first_byte_ms{suffix}",
            max(r["first_byte_ms"] for r in exports.values()),
            "ms",
        ),
    ]


def run() -> list[tuple[str, float, str]]:
    results = _measure(seeded_sqlite(), "sqlite")
    postgres = os.environ.get("AUDIT_BENCH_POSTGRES_URL")
    if postgres:
        events = int(os.environ.get("AUDIT_BENCH_POSTGRES_EVENTS", str(EVENTS)))
        results += _measure(seeded_postgres(postgres, events), "postgresql", "_pg")
    return results
