"""Fault injection: make the next requests fail or crawl, or the next operation fail.

Faults are per process (a standalone server is one process; reach it over HTTP with
`POST /_emulator/faults`). Each queued fault is consumed by exactly one request, so a
test can say "the next three requests answer 429" and then watch the client retry.

Some faults are things a spec-valid server may do rather than errors: a `Retry-After`
of any size (0, 10^8) or none at all on a 202 or an operation poll, and listings whose
`nextToken` never runs out (`endlessPaging`, a mode that stays on until cleared).
"""

import os
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

INJECTABLE_STATUSES = (409, 412, 429, 500, 503)
# `fail_next(..., retry_after=DEFAULT_RETRY_AFTER)`: 1 second on a 429, none otherwise.
DEFAULT_RETRY_AFTER = -1
DEFAULT_OPERATION_FAILURE = "Injected failure: the emulator was told to fail this operation."


@dataclass(frozen=True)
class RetryAfterOverride:
    """The `Retry-After` the next 202 or operation poll carries; None: no header at all."""

    seconds: int | None


@dataclass(frozen=True)
class InjectedFailure:
    """One request's worth of failure."""

    status: int
    retry_after: int | None


class FaultInjector:
    """Queues of pending faults, thread-safe because waitress serves with threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: deque[InjectedFailure] = deque()
        self._delays: deque[float] = deque()
        self._operation_failures: deque[str] = deque()
        self._retry_afters: deque[RetryAfterOverride] = deque()
        self._endless_paging = False

    def fail_next(
        self, count: int, status: int = 503, retry_after: int | None = DEFAULT_RETRY_AFTER
    ) -> None:
        """The next `count` requests answer `status`; a 429 carries `Retry-After: 1` unless
        `retry_after` says otherwise (None: no header)."""
        if status not in INJECTABLE_STATUSES:
            raise ValueError(f"status must be one of {INJECTABLE_STATUSES}, not {status}")
        if retry_after == DEFAULT_RETRY_AFTER:
            retry_after = 1 if status == 429 else None
        if count < 0 or (retry_after is not None and retry_after < 0):
            raise ValueError("count and retry_after must not be negative")
        with self._lock:
            self._failures.extend([InjectedFailure(status, retry_after)] * count)

    def slow_next(self, count: int, seconds: float) -> None:
        """The next `count` requests wait `seconds` before being answered normally."""
        if count < 0 or seconds < 0:
            raise ValueError("count and seconds must not be negative")
        with self._lock:
            self._delays.extend([seconds] * count)

    def fail_next_operation(self, detail: str = DEFAULT_OPERATION_FAILURE) -> None:
        """The next accepted create, update or delete ends FAILED with `detail`."""
        with self._lock:
            self._operation_failures.append(detail)

    def retry_after_next(self, count: int, seconds: int | None) -> None:
        """The next `count` 202s and operation polls carry `Retry-After: seconds` (None: none)."""
        if count < 0 or (seconds is not None and seconds < 0):
            raise ValueError("count and seconds must not be negative")
        with self._lock:
            self._retry_afters.extend([RetryAfterOverride(seconds)] * count)

    def set_endless_paging(self, endless: bool) -> None:
        """While on, every listing names a next page, past the end too, with a fresh token."""
        with self._lock:
            self._endless_paging = endless

    @property
    def endless_paging(self) -> bool:
        with self._lock:
            return self._endless_paging

    def clear(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self._failures.clear()
            self._delays.clear()
            self._operation_failures.clear()
            self._retry_afters.clear()
            self._endless_paging = False

    def take_delay(self) -> float:
        """Seconds this request should wait (0 when no slow-down is queued)."""
        with self._lock:
            return self._delays.popleft() if self._delays else 0.0

    def take_failure(self) -> InjectedFailure | None:
        """The failure this request should answer with, if one is queued."""
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def take_operation_failure(self) -> str | None:
        """The failure detail for the operation being accepted, if one is queued."""
        with self._lock:
            return self._operation_failures.popleft() if self._operation_failures else None

    def take_retry_after(self) -> RetryAfterOverride | None:
        """The Retry-After this 202 or poll should carry instead of its own, if one is queued."""
        with self._lock:
            return self._retry_afters.popleft() if self._retry_afters else None

    def pending(self) -> dict[str, Any]:
        """A snapshot for `GET /_emulator/faults`."""
        with self._lock:
            return {
                "failNext": [
                    {"status": f.status, "retryAfter": f.retry_after} for f in self._failures
                ],
                "slowNext": list(self._delays),
                "failNextOperation": list(self._operation_failures),
                "retryAfterNext": [override.seconds for override in self._retry_afters],
                "endlessPaging": self._endless_paging,
            }

    def configure(self, spec: dict[str, Any]) -> None:
        """Apply a control-endpoint body; see `app.Emulator` for its shape."""
        if spec.get("clear"):
            self.clear()
        if "failNext" in spec:
            item = spec["failNext"]
            retry_after = (
                _optional_int(item, "retryAfter") if "retryAfter" in item else DEFAULT_RETRY_AFTER
            )
            self.fail_next(int(item["count"]), int(item.get("status", 503)), retry_after)
        if "slowNext" in spec:
            item = spec["slowNext"]
            self.slow_next(int(item["count"]), float(item["seconds"]))
        if "failNextOperation" in spec:
            item = spec["failNextOperation"] or {}
            for _ in range(int(item.get("count", 1))):
                self.fail_next_operation(str(item.get("detail", DEFAULT_OPERATION_FAILURE)))
        if "retryAfterNext" in spec:
            item = spec["retryAfterNext"]
            self.retry_after_next(int(item.get("count", 1)), _optional_int(item, "seconds"))
        if "endlessPaging" in spec:
            if not isinstance(spec["endlessPaging"], bool):
                raise ValueError("endlessPaging must be true or false")
            self.set_endless_paging(spec["endlessPaging"])

    def configure_from_environment(self, environ: dict[str, str] | None = None) -> None:
        """Read `EMULATOR_FAIL_NEXT=3:429[:2]`, `EMULATOR_SLOW_NEXT=2:0.5` and
        `EMULATOR_FAIL_NEXT_OPERATION=<detail>` (count:status[:retry_after] etc.)."""
        environ = dict(os.environ if environ is None else environ)
        if spec := environ.get("EMULATOR_FAIL_NEXT", "").strip():
            parts = spec.split(":")
            status = int(parts[1]) if len(parts) > 1 else 503
            retry_after = int(parts[2]) if len(parts) > 2 else DEFAULT_RETRY_AFTER
            self.fail_next(int(parts[0]), status, retry_after)
        if spec := environ.get("EMULATOR_SLOW_NEXT", "").strip():
            count, _, seconds = spec.partition(":")
            self.slow_next(int(count), float(seconds or 1.0))
        if detail := environ.get("EMULATOR_FAIL_NEXT_OPERATION", "").strip():
            self.fail_next_operation(DEFAULT_OPERATION_FAILURE if detail == "1" else detail)


def _optional_int(item: dict[str, Any], key: str) -> int | None:
    return None if item.get(key) is None else int(item[key])
