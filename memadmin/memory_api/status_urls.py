"""Decides whether a `statusUrl` from the network may be polled with memadmin's credentials.

A 202's `statusUrl` is whatever the server wrote. Polling it sends the Basic-auth header,
so it must point at the configured API (same scheme, host and port) and at an operation,
nowhere else: otherwise a tampered or misconfigured answer could harvest the API key.
"""

from urllib.parse import unquote

import httpx

from memadmin.memory_api.contract import OPERATIONS_PATH
from memadmin.memory_api.errors import UnsafeStatusUrl, unsafe_status_url
from memadmin.redaction import display_url


def operations_prefix(base_url: httpx.URL) -> str:
    return base_url.path.rstrip("/") + OPERATIONS_PATH


def checked_status_url(url: str, *, base_url: httpx.URL) -> httpx.URL:
    """The URL to poll, parsed once; raises `UnsafeStatusUrl` unless it is safe."""
    try:
        target = base_url.join(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise _refuse(url, "it is not a valid URL") from None
    if target.userinfo:
        raise _refuse(url, "it carries credentials of its own")
    if target.scheme != base_url.scheme:
        raise _refuse(url, f"it uses {target.scheme or 'no scheme'} instead of {base_url.scheme}")
    if (target.host, target.port) != (base_url.host, base_url.port):
        raise _refuse(url, f"it points at {origin(target)}, not {origin(base_url)}")
    prefix = operations_prefix(base_url)
    # httpx has already resolved literal "." and ".."; what remains must be one segment,
    # so an encoded "%2e%2e/" or "%2F" cannot climb out of /Operations/.
    operation_id = target.path[len(prefix) :] if target.path.startswith(prefix) else ""
    if not operation_id or "/" in operation_id or operation_id in {".", ".."}:
        raise _refuse(url, f"its path is not an operation under {prefix}")
    return target


def origin(url: httpx.URL) -> str:
    """scheme://host[:port], the part of a URL that decides who receives the request."""
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}" if url.host else "no host"


def operation_id_from_url(url: str) -> str:
    """The last path segment of a status URL: the operation's id ("" if there is none)."""
    try:
        path = httpx.URL(url).raw_path.decode("ascii").split("?", 1)[0]
    except (httpx.InvalidURL, TypeError, ValueError):
        return ""
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])


def _refuse(url: str, reason: str) -> UnsafeStatusUrl:
    return unsafe_status_url(url=display_url(url), reason=reason)
