"""The process-wide emulator that `MEMORY_API_URL=emulator` plugs into the httpx client.

One instance per process, configured from Django settings. With
`EMULATOR_STATE_PATH` set, processes (web server, task worker) share state through
that SQLite file; without it each process has its own, in memory.
"""

import threading

from django.conf import settings

from memadmin.emulator.app import Emulator

# The documented local credentials (memadmin.config's defaults, written out again here:
# the emulator shares no code with the app it checks).
LOCAL_USERNAME = "SKmemadminlocal0000000000000000000"
LOCAL_PASSWORD = "memadmin-local-secret"  # noqa: S105 - public, local-only default

_lock = threading.Lock()
_emulator: Emulator | None = None


def get_embedded_emulator() -> Emulator:
    """The singleton, created on first use from `MEMORY_API_*` and `EMULATOR_*` settings."""
    global _emulator
    with _lock:
        if _emulator is None:
            state_path = settings.EMULATOR_STATE_PATH
            _emulator = Emulator(
                username=settings.MEMORY_API_USERNAME,
                password=settings.MEMORY_API_PASSWORD,
                state_path=str(state_path) if state_path else None,
                step_seconds=settings.EMULATOR_STEP_SECONDS,
            )
        return _emulator


def reset_embedded_emulator() -> None:
    """For tests: reset the current emulator's state and faults, then forget it, so the
    next `get_embedded_emulator()` reads settings afresh (e.g. after `override_settings`)."""
    global _emulator
    with _lock:
        if _emulator is not None:
            _emulator.reset()
        _emulator = None
