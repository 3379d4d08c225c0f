"""What this process derived from content lately, by the content's digest.

For values that depend on nothing but content a digest names (a diff of two definitions,
the impact judged from it): never stale, so kept without expiry, and the oldest dropped
once `size` are kept. In front of Django's cache, it saves unpickling the same large value
for every request that asks for it. Values must be immutable (frozen dataclasses): every
caller gets the same object.
"""

import threading


class RecentByContent:
    def __init__(self, size: int) -> None:
        self._size = size
        self._values: dict[str, object] = {}  # oldest first
        self._lock = threading.Lock()

    def get(self, digest: str):
        """The value kept under `digest`, or None."""
        return self._values.get(digest)

    def put(self, digest: str, value) -> None:
        with self._lock:
            if digest not in self._values and len(self._values) >= self._size:
                del self._values[next(iter(self._values))]
            self._values[digest] = value
