"""Starts memadmin's production server on loopback for benchmarks, on a database of its own."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BENCH_PASSWORD = "bench-password-1"  # a throwaway user in a throwaway database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(
    database_url: str, var_dir: str, *, settings_module: str = "memadmin.settings"
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "MEMADMIN_TESTING"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        DATABASE_URL=database_url,
        MEMADMIN_VAR_DIR=var_dir,
        EMULATOR_STEP_SECONDS="0",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="/dev/null",
        DJANGO_SETTINGS_MODULE=settings_module,
    )
    return env


def run_benchmark_child(module: str, **env: str) -> str:
    """`python -m module` with a throwaway SQLite database and var dir of its own, so that
    its settings never meet another benchmark's; its stdout. Its stderr is passed on, and a
    failed child raises."""
    name = module.rpartition(".")[2]
    with tempfile.TemporaryDirectory(prefix=f"memadmin-{name}-") as var_dir:
        environment = server_environment(f"sqlite:///{var_dir}/{name}.sqlite3", var_dir)
        environment.update(env)
        completed = subprocess.run(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"{module} failed (its output is above)")
    return completed.stdout


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


@dataclass(frozen=True)
class RunningServer:
    """A production server started by `production_server`: its URL, environment and pid."""

    base: str
    env: dict[str, str]
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time gunicorn has used so far, its master and workers, including workers it
        has already replaced (max_requests): they are counted in the master's children's
        times once reaped. Linux only (/proc)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:  # a process that ended while we looked
                continue
            if int(entry.name) == self.pid:  # utime, stime, cutime, cstime
                total += sum(int(f) for f in fields[11:15])
            elif int(fields[1]) == self.pid:  # a live worker: utime, stime
                total += int(fields[11]) + int(fields[12])
        return total / tick


@contextlib.contextmanager
def production_server(
    database_url: str | None = None,
    *,
    workers: int = 2,
    threads: int = 4,
    settings_module: str = "memadmin.settings",
) -> Iterator[RunningServer]:
    """Yields a migrated gunicorn with users per role.

    `settings_module="tests.benchmarks.settings"` adds the bare view at `/bench/bare/`.
    """
    with tempfile.TemporaryDirectory(prefix="memadmin-bench-") as var_dir:
        url = database_url or f"sqlite:///{var_dir}/bench.sqlite3"
        env = server_environment(url, var_dir, settings_module=settings_module)
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        for role in ("Operator", "Reviewer", "Auditor", "Admin"):
            manage(
                env,
                "create_user",
                f"bench-{role.lower()}",
                "--role",
                role,
                "--password",
                BENCH_PASSWORD,
            )
        port = free_port()
        env.update(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY=str(workers),
            GUNICORN_THREADS=str(threads),
        )
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "memadmin.wsgi:application", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process)
            yield RunningServer(base, env, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=20)


def wait_until_healthy(base: str, process: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("server did not become healthy in time")


def signed_in_client(base: str, username: str) -> httpx.Client:
    """An httpx client holding a session and the CSRF token, like a browser after sign-in."""
    client = httpx.Client(base_url=base, timeout=10, follow_redirects=False)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"]
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in as {username} failed: {response.status_code}")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    client.headers["Referer"] = f"{base}/"
    return client
