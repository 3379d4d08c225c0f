"""From HTTP responses to typed results: pages followed to the end, 202s, shape checks.

Kept apart from `client.py` so the client reads as the list of endpoints it is; these
are the few rules about *reading* answers that several endpoints share.
"""

import contextlib
from collections.abc import Iterator
from typing import Any

import httpx

from memadmin.memory_api import contract
from memadmin.memory_api.errors import outcome_unknown
from memadmin.memory_api.retry import retry_after_seconds
from memadmin.memory_api.session import ApiSession
from memadmin.memory_api.status_urls import operation_id_from_url
from memadmin.memory_api.types import Accepted, UnexpectedShape, next_page_token


@contextlib.contextmanager
def parsing(session: ApiSession, response: httpx.Response) -> Iterator[None]:
    """Turns a shape mismatch while reading `response` into a readable MemoryApiError."""
    try:
        yield
    except UnexpectedShape as exc:
        raise session.unreadable(response, str(exc)) from None


def etag(response: httpx.Response) -> str | None:
    return response.headers.get(contract.HEADER_ETAG)


def iter_pages(
    session: ApiSession, path: str, params: dict[str, Any], *, subject: str
) -> Iterator[tuple[httpx.Response, dict[str, Any]]]:
    """Each page's response and JSON object, following `meta.nextToken` to the end.

    A token seen before ends the walk with an error: a server stuck on one page would
    otherwise keep a request (or a worker) busy forever.
    """
    seen: set[str] = set()
    token: str | None = None
    while True:
        query = {**params, "pageToken": token} if token else params
        response = session.send("GET", path, params=query, subject=subject)
        with parsing(session, response):
            page = session.read_json(response)
            if not isinstance(page, dict):
                raise UnexpectedShape("the page is not a JSON object")
            token = next_page_token(page)
            if token in seen:
                raise UnexpectedShape("the same page token came back twice")
        yield response, page
        if token is None:
            return
        seen.add(token)


def accepted_from(session: ApiSession, response: httpx.Response, *, action: str) -> Accepted:
    """A 2xx to a write, typed. Twilio took the write, so an answer memadmin cannot track
    (no status URL anywhere) is `OutcomeUnknown`, never a plain failure."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    payload = payload if isinstance(payload, dict) else {}
    status_url = payload.get("statusUrl") or response.headers.get(contract.HEADER_LOCATION)
    if not isinstance(status_url, str) or not status_url:
        error = outcome_unknown(action=action, reason="Twilio's answer named no status URL")
        raise session.redactor.scrub_error(error)
    with contextlib.suppress(httpx.InvalidURL, ValueError, TypeError):
        # Relative becomes absolute; an absolute one (the usual case) is parsed once, not
        # joined, which would parse it twice more for the same result.
        target = httpx.URL(status_url)
        status_url = str(session.base_url.join(target) if target.is_relative_url else target)
    message = payload.get("message")
    return Accepted(
        message=message if isinstance(message, str) else "",
        status_url=status_url,
        operation_id=response.headers.get(contract.HEADER_OPERATION_ID)
        or operation_id_from_url(status_url),
        retry_after=retry_after_seconds(response.headers.get(contract.HEADER_RETRY_AFTER)),
        location=response.headers.get(contract.HEADER_LOCATION),
    )
