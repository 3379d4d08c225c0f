"""Writers appending at the same moment take turns: the chain never forks and nothing is lost.

On PostgreSQL, threads share the test database and `pg_advisory_xact_lock` orders them.
Django's SQLite test database lives in memory with a shared cache, where a busy writer is
told "table is locked" at once instead of waiting, which is not how memadmin runs. So the
SQLite test migrates a real database file and runs the writers as two `manage.py` processes
of four threads each, with the settings memadmin runs with (WAL, IMMEDIATE transactions,
a busy timeout): the web server and the worker, competing for real.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from memadmin.audit import selectors, services
from memadmin.audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
THREADS = 8
APPENDS_PER_THREAD = 20

WRITERS = """
import threading
from django.db import connections
from memadmin.audit import services

THREADS, APPENDS, PROCESS = {threads}, {appends}, {process}
start = threading.Barrier(THREADS)
failures = []

def writer(number):
    try:
        start.wait()
        for step in range(APPENDS):
            detail = f"process {{PROCESS}} thread {{number}} step {{step}}"
            services.record(action="test.concurrent", detail=detail)
    except Exception as exc:
        failures.append(f"thread {{number}}: {{exc!r}}")
    finally:
        connections.close_all()

threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("\\n".join(failures))
raise SystemExit(1 if failures else 0)
"""


def _append_from_threads(threads: int, appends: int) -> list[str]:
    start = threading.Barrier(threads)
    failures = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for step in range(appends):
                services.record(action="test.concurrent", detail=f"thread {number} step {step}")
        except Exception as exc:  # collected, so the test names the thread that failed
            failures.append(f"thread {number}: {exc!r}")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL concurrency test; this run uses SQLite (set DATABASE_URL=postgres://...)",
)
def test_threads_appending_at_once_form_one_chain_on_postgresql(transactional_db):
    assert _append_from_threads(THREADS, APPENDS_PER_THREAD) == []
    total = THREADS * APPENDS_PER_THREAD
    assert AuditEvent.objects.count() == total
    assert AuditEvent.objects.values("prev_hash").distinct().count() == total
    assert selectors.verify_chain() == []


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite file concurrency test; the PostgreSQL run has its own",
)
def test_two_processes_of_threads_appending_to_a_sqlite_file_form_one_chain(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'memadmin.sqlite3'}",
        "MEMADMIN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "memadmin.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=120)
    per_process = THREADS // 2
    writers = [
        subprocess.Popen(
            [
                *manage,
                "shell",
                "-c",
                WRITERS.format(threads=per_process, appends=APPENDS_PER_THREAD, process=n),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(2)
    ]
    for writer in writers:
        output, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0, output

    verified = subprocess.run(
        [*manage, "verify_audit_chain"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stderr
    assert f"intact: {THREADS * APPENDS_PER_THREAD} events" in verified.stdout
