"""1,000 in-flight operations tracked to completion by two `db_worker` processes.

Everything runs as separate processes on loopback, as in production: the standalone
emulator (1 s steps, so each operation is PENDING 1 s, RUNNING 1 s), two workers on a
temporary SQLite database, and a submitter that saves 1,000 outbox rows and sends them
as one bulk submission. `track_1000_s` starts once all 1,000 are in flight and stops when
the last one is terminal; `submit_and_track_1000_s` starts before the first is saved (on
SQLite the workers poll less while the submitter holds the write lock, so the two move
apart). Goal: <= 4 polls per operation (Retry-After is followed exactly).
"""

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

from tests.benchmarks.servers import ROOT, manage, server_environment

OPERATIONS = 1000
WORKERS = 2
USERNAME, PASSWORD = "SKbench000000000000000000000000000", "bench-emulator-secret"

# Saves `count` outbox rows, sends them as one bulk submission and prints how long the
# sending took; every row must have been accepted (none left SUBMITTING, FAILED, UNKNOWN).
SUBMIT = """
import time
from memadmin.emulator.seed import store_id_for
from memadmin.operations import bulk, services
from memadmin.operations.models import Operation
ops = [
    services.start_operation(kind="create", store_id=store_id_for(0),
        trait_group_name=f"Track{i:04d}",
        body={"displayName": f"Track{i:04d}", "traits": {"tier": {"dataType": "STRING"}}})
    for i in range(%(count)d)
]
started = time.perf_counter()
bulk.submit_many(operations=ops, concurrency=%(concurrency)d)
elapsed = time.perf_counter() - started
assert not Operation.objects.filter(status__in=["SUBMITTING", "FAILED", "UNKNOWN"]).exists()
print(elapsed)
"""

STATS = """
import json
from django.db.models import Avg, Count, Max
from memadmin.operations.models import Operation
print(json.dumps({
    "by_status": dict(Operation.objects.values_list("status").annotate(n=Count("pk"))),
    "avg_polls": Operation.objects.aggregate(a=Avg("poll_count"))["a"],
    "max_polls": Operation.objects.aggregate(m=Max("poll_count"))["m"],
}))
"""

COUNT_DONE = """
from memadmin.operations.models import Operation
print(Operation.objects.filter(status__in=["COMPLETED", "FAILED", "CANCELLED", "UNKNOWN"]).count())
"""


@contextlib.contextmanager
def standalone_emulator(step_seconds: float = 1.0, **extra_env: str) -> Iterator[str]:
    """Yields the base URL of `manage.py memory_emulator` on a free loopback port."""
    env = server_environment("sqlite:///:memory:", tempfile.gettempdir())
    env.update(extra_env)
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "memory_emulator",
            "--port",
            "0",
            "--username",
            USERNAME,
            "--password",
            PASSWORD,
            "--step-seconds",
            str(step_seconds),
            "--threads",
            "16",
            # Each round creates hundreds of groups in one store: far past Twilio's 50.
            "--max-groups-per-store",
            "1000000",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"emulator did not start: {line}{process.stderr.read()[-2000:]}")
        yield "http://" + line.split("http://", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def memadmin_environment(var_dir: str, api_url: str) -> dict[str, str]:
    env = server_environment(f"sqlite:///{var_dir}/track.sqlite3", var_dir)
    env.update(
        MEMORY_API_URL=api_url,
        TWILIO_API_KEY_SID=USERNAME,
        TWILIO_API_KEY_SECRET=PASSWORD,
        MEMORY_API_MAX_RETRY_SECONDS="5",
    )
    return env


def shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def run() -> list[tuple[str, float, str]]:
    with (
        tempfile.TemporaryDirectory(prefix="memadmin-track-") as var_dir,
        standalone_emulator(1.0) as api_url,
    ):
        env = memadmin_environment(var_dir, api_url)
        manage(env, "migrate", "--no-input")
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--interval",
                    "0.05",
                    "--no-startup-delay",
                    "--worker-id",
                    f"bench-{n}",
                    "--verbosity",
                    "0",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for n in range(WORKERS)
        ]
        try:
            submitting = time.perf_counter()
            shell(env, SUBMIT % {"count": OPERATIONS, "concurrency": 16})
            started = time.perf_counter()
            while int(shell(env, COUNT_DONE)) < OPERATIONS:
                if time.perf_counter() - started > 600:
                    raise RuntimeError("operations were not tracked to completion in 10 minutes")
                time.sleep(0.25)
            finished = time.perf_counter()
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=20)
        stats = json.loads(shell(env, STATS))
    if stats["by_status"] != {"COMPLETED": OPERATIONS}:
        raise RuntimeError(f"not every operation completed: {stats['by_status']}")
    print(f"# track: max polls for one operation {stats['max_polls']}", file=sys.stderr)
    return [
        ("track_1000_s", finished - started, "s"),
        ("submit_and_track_1000_s", finished - submitting, "s"),
        ("polls_per_operation", float(stats["avg_polls"]), "polls"),
    ]
