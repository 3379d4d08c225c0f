"""Constant-throughput pacing for the simulated people of locustfile.py.

Kept apart from locust so that a test can drive it with a clock of its own: importing
locust patches the standard library with gevent.
"""

import time
from collections.abc import Callable


class Pacing:
    """One task every `interval` seconds from the moment a person arrived.

    After a task that overran its interval the next starts at once, and the one after a
    whole interval later: a slow server gets fewer requests, never a burst of catching up.
    locust's own `constant_throughput` paces from the moment locust created the person,
    which is the same instant for the whole crowd, so the random arrival locustfile.py
    gives each person was absorbed into the first wait and everyone clicked in lockstep:
    each probe measured how fast the server drains one request from every person at once,
    not the rate it sustains.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.perf_counter) -> None:
        self.interval = interval
        self.clock = clock
        self.next_at = clock()

    def wait(self) -> float:
        """Seconds to wait before this person's next task."""
        now = self.clock()
        self.next_at = max(self.next_at + self.interval, now)
        return self.next_at - now
