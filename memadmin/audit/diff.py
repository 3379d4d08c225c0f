"""What changed between an event's before and after: a list for its page, a line for lists."""

from dataclasses import dataclass
from typing import Any

MISSING = object()
SUMMARY_LENGTH = 255


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "added", "removed" or "changed"
    before: Any = None
    after: Any = None


def _flatten(value, prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted paths; lists and scalars are compared whole."""
    if isinstance(value, dict) and value:
        flat = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix or "(value)": value}


def changes(before, after) -> list[Change]:
    """Every path added, removed or changed between two JSON documents, in path order."""
    old = _flatten(before) if before is not None else {}
    new = _flatten(after) if after is not None else {}
    found = []
    for path in sorted(old.keys() | new.keys()):
        was, now = old.get(path, MISSING), new.get(path, MISSING)
        if was is MISSING:
            found.append(Change(path, "added", after=now))
        elif now is MISSING:
            found.append(Change(path, "removed", before=was))
        elif was != now:
            found.append(Change(path, "changed", before=was, after=now))
    return found


def summary(found: list[Change]) -> str:
    """A short line such as "changed: displayName; added: traits.tier, traits.email"."""
    parts = []
    for kind in ("changed", "added", "removed"):
        paths = [change.path for change in found if change.kind == kind]
        if paths:
            parts.append(f"{kind}: {', '.join(paths)}")
    line = "; ".join(parts)
    if len(line) > SUMMARY_LENGTH:
        line = line[: SUMMARY_LENGTH - 1] + "…"
    return line
