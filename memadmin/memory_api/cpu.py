"""Keeping a batch's worker threads on one CPU core.

Python runs one thread of a process at a time (the GIL). Bulk workers spread over
several cores hand the GIL from core to core at every network wait: each hand-off wakes
a thread on another core and moves its cache with it. Measured on two cores against the
standalone emulator, that made eight workers no faster than one (0.77 ms of client CPU
a request instead of 0.45). The workers spend most of their time waiting for Twilio,
so one core is all they could use anyway; on one core a hand-off is a plain context
switch, and eight workers took 0.36 ms a request.
"""

import contextlib
import os

# /proc/<pid>/task/<tid>/stat, after the ")" that closes the thread's name: field 3
# (state) comes first, so field 39 (the CPU the thread last ran on) is index 36.
LAST_CPU_INDEX = 36


def current_cpu() -> int | None:
    """The CPU the calling thread last ran on (Linux), or None where that cannot be told."""
    try:
        with open("/proc/thread-self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[LAST_CPU_INDEX])
    except (OSError, IndexError, ValueError):
        return None


def keep_on_cpu(cpu: int | None) -> None:
    """Keeps the calling thread on `cpu`; where that cannot be done it runs where it likes."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return
    # Refused when the CPU is no longer ours (a cgroup changed): the thread runs unpinned.
    with contextlib.suppress(OSError):
        os.sched_setaffinity(0, {cpu})  # 0: this thread only, not the whole process
