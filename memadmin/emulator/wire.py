"""The emulator's view of one HTTP exchange, decoupled from WSGI's environ dictionary."""

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote


@dataclass(frozen=True)
class Request:
    """What a handler needs: decoded path, single-valued query, headers, raw body."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # keys lower-cased
    body: bytes
    base_url: str  # scheme://host[:port] the client used, for absolute URLs

    def url(self, path: str) -> str:
        """An absolute URL on the host the client called, so same-host checks pass."""
        return self.base_url + quote(path, safe="/")


@dataclass
class Response:
    """A JSON response (or an empty one when `body` is None)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        """Compact JSON; the emulator never sends anything else."""
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":")).encode()
