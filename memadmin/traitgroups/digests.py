"""Names for JSON content (definitions, a diff's two sides), for caches keyed by content."""

import hashlib
import json


def content_digest(*documents) -> str:
    """The sha256 of `documents` written canonically: equal content, equal name."""
    text = json.dumps(documents, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def pair_digest(old_digest: str, new_digest: str) -> str:
    """Names a pair of documents (old, new) by their two digests, e.g. their diff."""
    return hashlib.sha256(f"{old_digest}\n{new_digest}".encode()).hexdigest()
