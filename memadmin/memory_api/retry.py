"""When to try a request again, how long to wait first, and when to stop.

Only answers that mean "not now" (429, 503) and failures that happened before the
request left (connect errors) are worth repeating; the session decides which is which,
this module decides the timing: exponential backoff with jitter, `Retry-After` honoured,
and a bound on both attempts and total time so a page never hangs on a busy Twilio.
"""

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Backoff without Retry-After: 0.5s, 1s, 2s, … capped, each with jitter.
BASE_DELAY_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP-date); None if absent."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # delta-seconds; isdigit() alone admits "²"
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def retry_after_seconds(value: str | None) -> int | None:
    """`Retry-After` as the whole seconds the typed results carry."""
    seconds = parse_retry_after(value)
    return None if seconds is None else round(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    max_retry_seconds: float
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    rng: random.Random

    def backoff(self, attempt: int) -> float:
        """Equal jitter: half the exponential step fixed, half random, so workers spread out."""
        step = min(MAX_BACKOFF_SECONDS, BASE_DELAY_SECONDS * 2 ** (attempt - 1))
        return step / 2 + self.rng.uniform(0, step / 2)

    def attempts(self) -> "Attempts":
        return Attempts(self)


class Attempts:
    """The attempts of one call: counts them and keeps the whole call inside its time bound."""

    def __init__(self, policy: RetryPolicy):
        self.policy = policy
        self.count = 0
        self.deadline = policy.clock() + policy.max_retry_seconds

    def start(self) -> None:
        self.count += 1

    def delay_before_next(self, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None when the bound says stop."""
        if self.count >= self.policy.max_attempts:
            return None
        delay = retry_after if retry_after is not None else self.policy.backoff(self.count)
        if self.policy.clock() + delay > self.deadline:
            return None
        return delay


class RateLimitGate:
    """One pause shared by every thread using a client: a 429 slows them all down.

    Twilio's rate limit is per account, so when one request hears "429, Retry-After: 5"
    every other request would hear the same; they wait at this gate instead of each
    spending an attempt to learn it.
    """

    def __init__(self, *, sleep: Callable[[float], None], clock: Callable[[], float]):
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._closed_until = 0.0

    def pause_for(self, seconds: float) -> None:
        with self._lock:
            self._closed_until = max(self._closed_until, self._clock() + seconds)

    @property
    def remaining(self) -> float:
        with self._lock:
            return max(0.0, self._closed_until - self._clock())

    def wait(self) -> None:
        """Sleep out the current pause, once; a later 429 closes the gate again."""
        remaining = self.remaining
        if remaining > 0:
            self._sleep(remaining)
