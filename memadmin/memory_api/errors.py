"""The one exception type the Memory API client raises, and the sentences it carries.

Every failure — a TwilioError body, a dropped connection, a timeout, a body that is not
JSON — becomes a `MemoryApiError` whose `user_message` a person can act on, so views can
show it as it is and nothing upstream ever needs to catch httpx's exceptions.
"""

from typing import Any

from memadmin.memory_api.contract import RATE_LIMITED, UNAVAILABLE

CREDENTIALS_HINT = (
    "set TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET to a valid API key "
    "(or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN) and restart memadmin"
)


# TwilioError's code for a 412 ("412 → 20412"), used for memadmin's own DELETE check too.
PRECONDITION_FAILED_CODE = 20412
# "412 when If-Match does not match": an operation refused with either code met a group
# that changed in Twilio since the request was prepared.
PRECONDITION_FAILED_CODES = frozenset({412, PRECONDITION_FAILED_CODE})


class MemoryApiError(Exception):
    """A request to the Memory API failed; `str()` is the sentence to show a person.

    `retryable` says whether sending the same request later may succeed (Twilio busy,
    network down), as opposed to a request Twilio will keep rejecting.
    """

    def __init__(
        self,
        *,
        message: str,
        user_message: str | None = None,
        status: int | None = None,
        code: int | None = None,
        more_info: str | None = None,
        retryable: bool = False,
    ):
        self.message = message
        self.user_message = user_message or message
        self.status = status
        self.code = code
        self.more_info = more_info
        self.retryable = retryable
        super().__init__(self.user_message)

    def __str__(self) -> str:
        return self.user_message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"message={self.message!r})"
        )


class OutcomeUnknown(MemoryApiError):
    """A write was sent but its answer was lost: Twilio may or may not have applied it.

    The client never re-sends such a write; the caller finds out what happened by
    reading the resource back (a trait group by its name).
    """


class UnsafeStatusUrl(MemoryApiError):
    """A statusUrl points somewhere memadmin will not send its credentials to."""


def twilio_error(status: int, body: Any, *, subject: str) -> MemoryApiError:
    """The error for a non-2xx answer; `body` is the parsed JSON (a TwilioError) or None."""
    fields = body if isinstance(body, dict) else {}
    code = fields.get("code") if isinstance(fields.get("code"), int) else None
    message = fields.get("message") if isinstance(fields.get("message"), str) else ""
    more_info = fields.get("more_info") if isinstance(fields.get("more_info"), str) else None
    return MemoryApiError(
        message=message or f"HTTP {status}",
        user_message=user_message_for(status, code=code, message=message, subject=subject),
        status=status,
        code=code,
        more_info=more_info,
        retryable=status in {RATE_LIMITED, UNAVAILABLE},
    )


def user_message_for(status: int, *, code: int | None, message: str, subject: str) -> str:
    """What a person reads for each HTTP status, with Twilio's own words where they help."""
    tag = f"(code {code})" if code is not None else f"(HTTP {status})"
    said = f": {message.strip().rstrip('.')}" if message.strip() else ""
    thing = subject[:1].upper() + subject[1:]
    if status == 401:
        return f"Credentials rejected by Twilio {tag}: {CREDENTIALS_HINT}."
    if status == 403:
        return (
            f"Twilio refused access to {subject}{said} {tag}. "
            "Check that the API key may use Conversation Memory."
        )
    if status == 404:
        return f"{thing} does not exist in Twilio{said} {tag}."
    if status == 409:
        return f"Twilio refused the change because it conflicts with {subject}{said} {tag}."
    if status == 412:
        return (
            f"{thing} changed in Twilio since you loaded it {tag}: "
            "reload it and apply your change again."
        )
    if status == RATE_LIMITED:
        return f"Twilio is busy (too many requests) {tag}: try again in a minute."
    if status == UNAVAILABLE:
        return f"Twilio is unavailable right now {tag}: try again in a few minutes."
    if status >= 500:
        return f"Twilio failed with an internal error{said} {tag}: try again later."
    return f"Twilio rejected the request{said} {tag}."


def precondition_failed(*, subject: str, expected: str, current: str | None) -> MemoryApiError:
    """memadmin's own If-Match for a DELETE: the group's ETag is not the one reviewed."""
    now = f"now {current}" if current else "Twilio sent no ETag to compare"
    return MemoryApiError(
        message=f"ETag of {subject} is not {expected} ({now}); not deleted",
        user_message=(
            user_message_for(412, code=PRECONDITION_FAILED_CODE, message="", subject=subject)
            + " memadmin did not delete it."
        ),
        status=412,
        code=PRECONDITION_FAILED_CODE,
    )


def unreachable(*, host: str, reason: str) -> MemoryApiError:
    """The connection never carried the request (refused, DNS, TLS, connect timeout)."""
    return MemoryApiError(
        message=f"Could not connect to {host}: {reason}",
        user_message=(
            f"Could not reach Twilio at {host} ({reason}): check the network and "
            "MEMORY_API_URL, then try again."
        ),
        retryable=True,
    )


def no_answer(*, host: str, reason: str) -> MemoryApiError:
    """A read was sent and its answer did not come back, even after retrying."""
    return MemoryApiError(
        message=f"No answer from {host}: {reason}",
        user_message=f"Twilio at {host} did not answer ({reason}): try again in a moment.",
        retryable=True,
    )


def outcome_unknown(*, action: str, reason: str) -> OutcomeUnknown:
    """A write whose answer was lost; re-sending could apply it twice."""
    return OutcomeUnknown(
        message=f"Answer lost after sending the request to {action}: {reason}",
        user_message=(
            f"memadmin sent the request to {action}, but Twilio's answer was lost ({reason}). "
            "It may or may not have taken effect; memadmin checks before anything is sent again."
        ),
    )


def unreadable(*, what: str, detail: str, status: int | None = None) -> MemoryApiError:
    """A body that is not JSON, or JSON of the wrong shape."""
    return MemoryApiError(
        message=f"Unreadable response to {what}: {detail}",
        user_message=(
            f"Twilio sent a response memadmin could not read ({detail}) for {what}. "
            "If it persists, check MEMORY_API_URL points at the Memory API."
        ),
        status=status,
    )


def unsafe_status_url(*, url: str, reason: str) -> UnsafeStatusUrl:
    return UnsafeStatusUrl(
        message=f"Refused to poll status URL {url}: {reason}",
        user_message=(
            f"memadmin refused to follow the operation status URL {url} because {reason}; "
            "credentials are only ever sent to the configured Memory API."
        ),
    )
