"""Every URL the project serves, with placeholder arguments, for tests that sweep them all."""

from django.urls import URLPattern, URLResolver, get_resolver

# Placeholders per converter, so a sweep reaches the view (and its permission check).
SAMPLE_STORE_ID = "mem_store_00000000000000000000000000"
PLACEHOLDERS = {
    "int": "1",
    "str": "placeholder",
    "slug": "placeholder",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    # The apps' own converters for Memory Store ids (a TTID pattern).
    "store": SAMPLE_STORE_ID,
    "store_id": SAMPLE_STORE_ID,
    # The API's: a store by id or name.
    "store_ref": SAMPLE_STORE_ID,
}
PUBLIC_URL_NAMES = {"login", "healthz"}
# Swept by their own tests: the admin (a staff check), moved paths (test_moved_paths.py).
SWEPT_ELSEWHERE = {"admin", "moved"}
# The API's own documentation is for signed-in people; its operations take a token instead.
API_DOCUMENT_NAMES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def is_token_authenticated(name: str) -> bool:
    """Whether the URL is an API operation: a bearer token, never a session, opens it."""
    return name.startswith("api:") and name not in API_DOCUMENT_NAMES


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SWEPT_ELSEWHERE:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern)


def _fill(route: str) -> str:
    """Replaces <conv:name> segments with placeholders; `^`/`$` regex routes are used raw."""
    import re

    def substitute(match: re.Match) -> str:
        return PLACEHOLDERS.get(match.group(1) or "str", "placeholder")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", substitute, route).lstrip("^").rstrip("$")


def all_urls() -> list[tuple[str, str]]:
    """(url name, concrete path) for every named route outside Django's admin."""
    return [(name, _fill(route)) for name, route in _walk(get_resolver().url_patterns)]
