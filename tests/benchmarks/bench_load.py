"""Capacity: the highest request rate the production server sustains with p95 < 250 ms.

One gunicorn (gunicorn.conf.py, its default worker count for this machine's cores), on
a database of its own with the sandbox's groups and 2,000 audit events. Locust runs in
its own process, one offered rate at a time (each person paced at a constant rate from
their own arrival, see pacing.py); a rate is sustained when the p95 stays under 250 ms
and at least 90 % of the offered requests were made. The rate is doubled until it is
not sustained, then bisected. The same is done for the bare view (`/bench/bare/`, same
server, same run, probes taken in turn with the mixed workload's), so that
`load_capacity_vs_bare` says what share of a bare Django view's rate the real mixed
workload keeps, a figure that holds on a busy machine when absolute rates do not.
Errors at the capacity found are reported (goal: 0), as are all errors seen below it.
gunicorn's CPU time per request is reported beside the capacities: the load generator
shares the same cores, and near the bare view's capacity it is what runs out first.
"""

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.servers import (
    ROOT,
    RunningServer,
    manage,
    production_server,
    signed_in_client,
)

P95_LIMIT_MS = 250.0
# Simulated people: about two requests a second each (a click, a debounced keystroke).
MIN_USERS, MAX_USERS, REQUESTS_PER_USER = 4, 40, 2.0
PROBE_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "8"))
SETTLE_SECONDS = 2.0  # requests finished in a probe's first seconds are ramp-up, not kept
START_RPS = 20.0
MAX_RPS = 2000.0
BISECTIONS = 3
WARMUP_RPS = 5.0
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


def _probe(
    server: RunningServer, sessions: dict, classes: list[str], rate: float
) -> dict[str, float]:
    """Offers `rate` requests a second for PROBE_SECONDS; p95, achieved rate, errors, and
    the server's CPU time over the probe."""
    users = max(MIN_USERS, min(MAX_USERS, round(rate / REQUESTS_PER_USER)))
    cpu_before = server.cpu_seconds()
    with tempfile.TemporaryDirectory() as out:
        output = Path(out) / "requests.json"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f", "tests/benchmarks/locustfile.py",
                "--headless", "--only-summary", "--host", server.base,
                "-u", str(users), "-r", str(users), "-t", f"{PROBE_SECONDS}s",
                "--loglevel", "ERROR", *classes,
            ],
            cwd=ROOT, check=True, capture_output=True,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "BENCH_LOAD_OUTPUT": str(output),
                "BENCH_LOAD_USER_RPS": str(rate / users),
                "BENCH_LOAD_SESSIONS": json.dumps(sessions),
            },
        )  # fmt: skip
        made = json.loads(output.read_text())
    cpu_seconds = server.cpu_seconds() - cpu_before
    if not made:
        return {"p95": float("inf"), "rps": 0.0, "errors": 0.0, "sustained": False}
    finished = [at for *_, at in made]
    start = min(finished) + SETTLE_SECONDS
    kept = [r for r in made if r[3] >= start] or made
    times = sorted(ms for _, ms, _, _ in kept)
    p95 = statistics.quantiles(times, n=100)[94] if len(times) > 1 else times[0]
    # The rate over the span the kept requests finished in: locust's start-up and the
    # people's staggered arrival are not counted as time the server failed to serve.
    span = max(finished) - start
    achieved = len(kept) / span if span > 0 else 0.0
    result = {
        "p95": p95,
        "rps": achieved,
        "errors": float(sum(r[2] for r in made)),
        "cpu_ms_per_request": 1000 * cpu_seconds / len(made),
    }
    result["sustained"] = p95 < P95_LIMIT_MS and achieved >= 0.9 * rate
    return result


@dataclass
class CapacitySearch:
    """Doubles the offered rate until it is not sustained, then bisects BISECTIONS times."""

    workload: str
    low: float = 0.0
    high: float = START_RPS
    doubling: bool = True
    bisections: int = 0
    best_errors: float = 0.0
    errors_below: float = 0.0
    cpu_ms_sustained: list[float] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.bisections >= BISECTIONS or (self.doubling and self.high > MAX_RPS)

    @property
    def cpu_ms_per_request(self) -> float:
        """gunicorn's CPU time per request, the median over the probes it sustained."""
        return statistics.median(self.cpu_ms_sustained) if self.cpu_ms_sustained else 0.0

    def next_rate(self) -> float:
        return self.high if self.doubling else (self.low + self.high) / 2

    def record(self, rate: float, result: dict[str, float]) -> None:
        print(
            f"# load {self.workload}: offered {rate:.0f}/s -> {result['rps']:.0f}/s, "
            f"p95 {result['p95']:.0f} ms, {result['errors']:.0f} errors, "
            f"server CPU {result['cpu_ms_per_request']:.1f} ms a request",
            file=sys.stderr,
        )
        if result["sustained"]:
            self.errors_below += result["errors"]
            self.cpu_ms_sustained.append(result["cpu_ms_per_request"])
            if rate > self.low:
                self.low, self.best_errors = rate, result["errors"]
        if self.doubling:
            if result["sustained"]:
                self.high = rate * 2
            else:
                self.doubling = False
            return
        self.bisections += 1
        if not result["sustained"]:
            self.high = rate


def capacities(server: RunningServer, sessions: dict) -> dict[str, CapacitySearch]:
    """Both searches, one probe of each in turn, so a neighbour's load hits both alike."""
    searches = {name: CapacitySearch(name) for name in WORKLOADS}
    for classes in WORKLOADS.values():  # every worker compiles its templates, opens its files
        _probe(server, sessions, classes, WARMUP_RPS)
    while not all(search.done for search in searches.values()):
        for name, search in searches.items():
            if not search.done:
                rate = search.next_rate()
                search.record(rate, _probe(server, sessions, WORKLOADS[name], rate))
    return searches


def run() -> list[tuple[str, float, str]]:
    workers = multiprocessing.cpu_count() * 2 + 1  # gunicorn.conf.py's default
    with production_server(
        workers=workers, threads=4, settings_module="tests.benchmarks.settings"
    ) as server:
        _seed(server.env)
        sessions = _sessions(server.base)
        found = capacities(server, sessions)
    mixed, bare = found["mixed"], found["bare"]
    return [
        ("load_capacity_rps", mixed.low, "req/s"),
        ("load_capacity_bare_rps", bare.low, "req/s"),
        ("load_capacity_vs_bare", mixed.low / bare.low if bare.low else 0.0, "x"),
        ("load_errors_at_capacity", mixed.best_errors + bare.best_errors, "requests"),
        ("load_errors_sustained_probes", mixed.errors_below + bare.errors_below, "requests"),
        ("load_server_cpu_ms_per_request", mixed.cpu_ms_per_request, "ms"),
        ("load_server_cpu_ms_per_request_bare", bare.cpu_ms_per_request, "ms"),
        # The share of the bare view's rate the mixed workload would keep if the server's
        # CPU were all that limited it: steadier than the capacities, which also carry
        # the load generator's share of the same cores and the p95's noise.
        (
            "load_server_cpu_vs_bare",
            bare.cpu_ms_per_request / mixed.cpu_ms_per_request if mixed.cpu_ms_per_request else 0.0,
            "x",
        ),
    ]
