"""One pooled HTTP session to the Memory API: auth, timeouts, retries, errors.

Everything that touches httpx lives here, so the rest of memadmin sees only typed
results and `MemoryApiError`. The rules it keeps:
- 429 and 503 are retried, honouring `Retry-After`; a 429 also pauses every other
  thread on this session (Twilio limits the account, not the request).
- A request that never left (connect error, connect or pool timeout) is retried.
- A GET whose answer was lost is retried; a write whose answer was lost is not, because
  Twilio may have applied it: that is `OutcomeUnknown`.
- No retry goes past `max_attempts` or `max_retry_seconds`.
"""

import http.cookiejar
import logging
import random
from collections.abc import Callable
from typing import Any

import httpx

import memadmin
from memadmin.memory_api import errors
from memadmin.memory_api.contract import (
    HEADER_RETRY_AFTER,
    RATE_LIMITED,
    RETRYABLE_STATUSES,
    WRITE_METHODS,
)
from memadmin.memory_api.retry import RateLimitGate, RetryPolicy, parse_retry_after
from memadmin.redaction import Redactor, display_url

logger = logging.getLogger("memadmin.memory_api")

USER_AGENT = f"memadmin/{memadmin.__version__} httpx/{httpx.__version__}"

# Failures that happen before any byte of the request reached Twilio: safe to repeat.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after sending where a read can simply be asked again.
ANSWER_LOST = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class ApiSession:
    """The shared httpx connection pool (thread-safe, keep-alive) and the retry loop around it."""

    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        transport: httpx.BaseTransport | None,
        connect_timeout: float,
        read_timeout: float,
        max_attempts: int,
        max_retry_seconds: float,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ):
        self.base_url = httpx.URL(base_url.rstrip("/"))
        if self.base_url.scheme not in {"http", "https"} or not self.base_url.host:
            raise ValueError(f"The Memory API base URL must be http(s); got {base_url!r}.")
        self.host = display_url(str(self.base_url))
        self.redactor = Redactor(username=username, password=password)
        self.timeouts = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.policy = RetryPolicy(
            max_attempts=max(1, max_attempts),
            max_retry_seconds=max_retry_seconds,
            sleep=sleep,
            clock=clock,
            rng=random.Random(),
        )
        self.gate = RateLimitGate(sleep=sleep, clock=clock)
        # Twilio sets no cookies, but one client serves every user: a cookie set by one
        # answer must never ride along on the next request, so the jar keeps none.
        # Plain httpx.Client on purpose. Building requests by hand around its pool saved
        # ~0.6 ms of client CPU a request (1.4 vs 2.0 ms); at a 20 ms emulated round trip
        # that made 200 creates ~5% faster on a lightly loaded 2-core machine, ~20% on a
        # saturated one (2026-12-02). The 5x goal is met without it: simple code stays.
        self._client = httpx.Client(
            base_url=self.base_url,
            auth=(username, password),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            cookies=http.cookiejar.CookieJar(
                http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
            ),
            timeout=self.timeouts,
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"ApiSession({self.host!r})"

    def close(self) -> None:
        self._client.close()

    def send(
        self,
        method: str,
        url: str | httpx.URL,
        *,
        subject: str,
        action: str | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """A 2xx response, after retries; anything else raises `MemoryApiError`.

        `url` is a path under the base URL (percent-encoded, from `contract`) or an
        absolute URL already checked (a status URL).

        `subject` names what a 404 or 412 is about ("trait group 'Contact' in store …");
        `action` says what a lost write was meant to do ("create trait group 'Contact' …").
        """
        attempts = self.policy.attempts()
        what = f"{method} {httpx.URL(url).path}"
        while True:
            self.gate.wait()
            attempts.start()
            try:
                response = self._client.request(
                    method, url, params=params, json=json, headers=headers
                )
            except httpx.RequestError as exc:
                error, repeatable = self._failure(method, exc, action=action or what)
                delay = attempts.delay_before_next(None) if repeatable else None
                if delay is None:
                    raise self.redactor.scrub_error(error) from None
                self._log_retry(what, error.message, delay, attempts.count)
                self.policy.sleep(delay)
                continue
            if response.status_code not in RETRYABLE_STATUSES:
                return self._checked(response, subject=subject, what=what)
            retry_after = parse_retry_after(response.headers.get(HEADER_RETRY_AFTER))
            delay = attempts.delay_before_next(retry_after)
            if delay is None:
                raise self._error_for(response, subject=subject)
            self._log_retry(what, f"HTTP {response.status_code}", delay, attempts.count)
            if response.status_code == RATE_LIMITED:
                self.gate.pause_for(delay)  # slept out at the top of the loop, by everyone
            else:
                self.policy.sleep(delay)

    def read_json(self, response: httpx.Response) -> Any:
        """The body as JSON, or a `MemoryApiError` saying it was not JSON."""
        try:
            return response.json()
        except ValueError:
            what = f"{response.request.method} {response.request.url.path}"
            error = errors.unreadable(
                what=what, detail="the body is not JSON", status=response.status_code
            )
            raise self.redactor.scrub_error(error) from None

    def unreadable(self, response: httpx.Response, detail: str) -> errors.MemoryApiError:
        """The error for JSON that parsed but has the wrong shape."""
        what = f"{response.request.method} {response.request.url.path}"
        error = errors.unreadable(what=what, detail=detail, status=response.status_code)
        return self.redactor.scrub_error(error)

    def _checked(self, response: httpx.Response, *, subject: str, what: str) -> httpx.Response:
        if response.is_success:
            return response
        if response.is_redirect:
            location = display_url(response.headers.get("Location", "elsewhere"))
            error = errors.unreadable(
                what=what,
                detail=f"a redirect to {location}; is MEMORY_API_URL right?",
                status=response.status_code,
            )
            raise self.redactor.scrub_error(error)
        raise self._error_for(response, subject=subject)

    def _error_for(self, response: httpx.Response, *, subject: str) -> errors.MemoryApiError:
        try:
            body = response.json()
        except ValueError:
            body = None
        error = errors.twilio_error(response.status_code, body, subject=subject)
        logger.warning(
            "Memory API %s %s answered %s: %s",
            response.request.method,
            response.request.url.path,
            response.status_code,
            self.redactor.scrub(error.message),
        )
        return self.redactor.scrub_error(error)

    def _failure(
        self, method: str, exc: httpx.RequestError, *, action: str
    ) -> tuple[errors.MemoryApiError, bool]:
        """The error for a transport failure, and whether sending again is safe."""
        reason = self.redactor.scrub(self._describe(exc))
        if isinstance(exc, NOT_SENT):
            return errors.unreachable(host=self.host, reason=reason), True
        if method.upper() in WRITE_METHODS:
            logger.warning("Memory API: outcome unknown for %s: %s", action, reason)
            return errors.outcome_unknown(action=action, reason=reason), False
        if isinstance(exc, ANSWER_LOST):
            return errors.no_answer(host=self.host, reason=reason), True
        return errors.unreachable(host=self.host, reason=reason), False

    def _describe(self, exc: httpx.RequestError) -> str:
        if isinstance(exc, httpx.ConnectTimeout):
            return f"no connection within {self.timeouts.connect:g}s"
        if isinstance(exc, httpx.PoolTimeout):
            return f"no free connection within {self.timeouts.pool:g}s"
        if isinstance(exc, httpx.ReadTimeout):
            return f"no answer within {self.timeouts.read:g}s"
        if isinstance(exc, httpx.WriteTimeout):
            return f"could not send the request within {self.timeouts.write:g}s"
        detail = str(exc).strip()
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"the connection was closed mid-answer ({detail or 'no detail'})"
        if isinstance(exc, httpx.ReadError):
            return f"the connection broke while reading the answer ({detail or 'no detail'})"
        if isinstance(exc, httpx.ConnectError):
            return f"connection failed: {detail or 'no detail'}"
        return f"{type(exc).__name__}: {detail or 'no detail'}"

    def _log_retry(self, what: str, reason: str, delay: float, attempt: int) -> None:
        logger.warning(
            "Memory API %s: %s; retrying in %.1fs (attempt %d of %d)",
            what,
            self.redactor.scrub(reason),
            delay,
            attempt,
            self.policy.max_attempts,
        )
