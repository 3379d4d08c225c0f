"""From HTTP responses to typed results: pages followed to the end, 202s, shape checks.

Kept apart from `client.py` so the client reads as the list of endpoints it is; these
are the few rules about *reading* answers that several endpoints share.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from memadmin.memory_api import contract
from memadmin.memory_api.errors import MemoryApiError, outcome_unknown
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


@dataclass(frozen=True)
class ListingBounds:
    """How far one listing is followed: page tokens promise no end, so memadmin sets one."""

    max_pages: int = 100
    max_items: int = 1000


def iter_pages(
    session: ApiSession,
    path: str,
    params: dict[str, Any],
    *,
    subject: str,
    items_key: str,
    bounds: ListingBounds,
) -> Iterator[tuple[httpx.Response, dict[str, Any]]]:
    """Each page's response and JSON object, following `meta.nextToken` to the end.

    A token seen before, or more pages or items than `bounds` allow, ends the walk with
    an error naming the endpoint: a server stuck on one page, or one whose tokens never
    run out, would otherwise keep a request (or a worker) busy forever. `items_key` says
    where a page's items are (`traitGroups`, or `traitGroup.traits`), to count them.
    """
    seen: set[str] = set()
    token: str | None = None
    pages = items = 0
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
        pages += 1
        items += _count_items(page, items_key)
        if pages > bounds.max_pages or items > bounds.max_items:
            raise session.redactor.scrub_error(
                listing_too_long(endpoint=f"GET {path}", pages=pages, items=items, bounds=bounds)
            )
        yield response, page
        if token is None:
            return
        seen.add(token)


def _count_items(page: dict[str, Any], items_key: str) -> int:
    value: Any = page
    for key in items_key.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return len(value) if isinstance(value, list | dict) else 0


def listing_too_long(
    *, endpoint: str, pages: int, items: int, bounds: ListingBounds
) -> MemoryApiError:
    """The error for a listing that went past memadmin's bounds."""
    return MemoryApiError(
        message=f"{endpoint}: listing stopped after {pages} pages and {items} items",
        user_message=(
            f"Twilio's listing {endpoint} did not end: memadmin stopped after {pages} pages "
            f"and {items} items (it reads at most {bounds.max_pages} pages and "
            f"{bounds.max_items} items, MEMORY_API_MAX_PAGES and MEMORY_API_MAX_LIST_ITEMS). "
            "Nothing from this listing was recorded; try again later."
        ),
    )


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
