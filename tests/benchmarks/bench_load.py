"""Capacity: the highest request rate the production server sustains with p95 < 250 ms.

One gunicorn (gunicorn.conf.py, its default worker count for this machine's cores), on
a database of its own with the sandbox's groups and 2,000 audit events. Locust runs in
its own process, one offered rate at a time (`constant_throughput` pacing, see
locustfile.py); a rate is sustained when the p95 stays under 250 ms and at least 90 %
of the offered requests were made. The rate is doubled until it is not sustained, then
bisected. The same is done for the bare view (`/bench/bare/`, same server, same run), so
that `load_capacity_vs_bare` says what share of a bare Django view's rate the real mixed
workload keeps, a figure that holds on a busy machine when absolute rates do not.
Errors at the capacity found are reported (goal: 0), as are all errors seen below it.
"""

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.servers import ROOT, manage, production_server, signed_in_client

P95_LIMIT_MS = 250.0
USERS = 40
PROBE_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "8"))
SETTLE_SECONDS = 2.0  # requests finished in a probe's first seconds are ramp-up, not kept
START_RPS = 20.0
MAX_RPS = 2000.0
BISECTIONS = 3
WORKLOADS = {"mixed": ["Operator", "Auditor"], "bare": ["Bare"]}


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


def _sessions(base: str) -> dict[str, dict[str, str]]:
    """Session and CSRF cookies of one sign-in per role, which every simulated person reuses."""
    sessions = {}
    for role in ("operator", "auditor"):
        client = signed_in_client(base, f"bench-{role}")
        sessions[role] = {name: client.cookies[name] for name in ("sessionid", "csrftoken")}
        client.close()
    return sessions


def _probe(base: str, sessions: dict, classes: list[str], rate: float) -> dict[str, float]:
    """Offers `rate` requests a second for PROBE_SECONDS; p95, achieved rate and errors."""
    with tempfile.TemporaryDirectory() as out:
        output = Path(out) / "requests.json"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f", "tests/benchmarks/locustfile.py",
                "--headless", "--only-summary", "--host", base,
                "-u", str(USERS), "-r", str(USERS), "-t", f"{PROBE_SECONDS}s",
                "--loglevel", "ERROR", *classes,
            ],
            cwd=ROOT, check=True, capture_output=True,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "BENCH_LOAD_OUTPUT": str(output),
                "BENCH_LOAD_USER_RPS": str(rate / USERS),
                "BENCH_LOAD_SESSIONS": json.dumps(sessions),
            },
        )  # fmt: skip
        made = json.loads(output.read_text())
    if not made:
        return {"p95": float("inf"), "rps": 0.0, "errors": 0.0, "sustained": False}
    start = min(at for *_, at in made) + SETTLE_SECONDS
    kept = [r for r in made if r[3] >= start] or made
    times = sorted(ms for _, ms, _, _ in kept)
    span = max(r[3] for r in kept) - min(r[3] for r in kept)
    p95 = statistics.quantiles(times, n=100)[94] if len(times) > 1 else times[0]
    achieved = len(kept) / max(span, 1e-3)
    result = {"p95": p95, "rps": achieved, "errors": float(sum(r[2] for r in made))}
    result["sustained"] = p95 < P95_LIMIT_MS and achieved >= 0.9 * rate
    return result


def capacity(base: str, sessions: dict, workload: str) -> tuple[float, float, float]:
    """(highest sustained rate, its errors, errors at all sustained rates) for a workload."""
    classes = WORKLOADS[workload]
    best, best_errors, errors_below = 0.0, 0.0, 0.0

    def sustained(rate: float) -> bool:
        nonlocal best, best_errors, errors_below
        result = _probe(base, sessions, classes, rate)
        print(
            f"# load {workload}: offered {rate:.0f}/s -> {result['rps']:.0f}/s, "
            f"p95 {result['p95']:.0f} ms, {result['errors']:.0f} errors",
            file=sys.stderr,
        )
        if result["sustained"]:
            errors_below += result["errors"]
            if rate > best:
                best, best_errors = rate, result["errors"]
        return result["sustained"]

    low, high = 0.0, START_RPS
    while high <= MAX_RPS and sustained(high):
        low, high = high, high * 2
    for _ in range(BISECTIONS):
        middle = (low + high) / 2
        if sustained(middle):
            low = middle
        else:
            high = middle
    return best, best_errors, errors_below


def run() -> list[tuple[str, float, str]]:
    workers = multiprocessing.cpu_count() * 2 + 1  # gunicorn.conf.py's default
    with production_server(
        workers=workers, threads=4, settings_module="tests.benchmarks.settings"
    ) as (base, env):
        _seed(env)
        sessions = _sessions(base)
        mixed, mixed_errors, mixed_errors_below = capacity(base, sessions, "mixed")
        bare, bare_errors, _ = capacity(base, sessions, "bare")
    return [
        ("load_capacity_rps", mixed, "req/s"),
        ("load_capacity_bare_rps", bare, "req/s"),
        ("load_capacity_vs_bare", mixed / bare if bare else 0.0, "x"),
        ("load_errors_at_capacity", mixed_errors + bare_errors, "requests"),
        ("load_errors_sustained_probes", mixed_errors_below, "requests"),
    ]
