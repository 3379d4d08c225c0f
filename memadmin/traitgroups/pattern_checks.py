"""Checks of a STRING rule's regex `pattern`: it compiles, and reads the same outside Python.

Twilio's validators are not Python; constructs that `re` accepts but JavaScript or Java
read differently earn a warning rather than an error.
"""

import functools
import re

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups.issues import ERROR, WARNING, Issue

# Constructs that Python's `re` reads differently from JavaScript or Java regexes.
_PORTABILITY = (
    (
        re.compile(r"\(\?P[<=>]"),
        "Python-style named groups `(?P<…>)`; JavaScript and Java write `(?<name>…)`",
    ),
    (re.compile(r"\\[AZz]"), "`\\A`/`\\Z`/`\\z` anchors, which JavaScript does not support"),
    (
        re.compile(r"\(\?[aiLmsux]+[):\-]"),
        "inline flags such as `(?i)`, which JavaScript does not support",
    ),
    (re.compile(r"\(\?#"), "`(?#…)` comments, which JavaScript does not support"),
    (re.compile(r"\(\?>"), "atomic groups `(?>…)`, which JavaScript does not support"),
    (re.compile(r"(?<!\\)[*+?}]\+"), "possessive quantifiers, which JavaScript does not support"),
    (re.compile(r"\(\?\("), "conditionals `(?(…)…)`, which JavaScript and Java do not support"),
)


@functools.lru_cache(maxsize=2048)
def pattern_problems(pattern: str) -> tuple[str | None, tuple[str, ...]]:
    """(why it does not compile or None, portability warnings) for a regex; cached."""
    try:
        re.compile(pattern)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        return f"This regular expression does not compile: {exc.msg}{where}.", ()
    except (RecursionError, OverflowError):
        return "This regular expression is too deeply nested to compile.", ()
    return None, tuple(text for rx, text in _PORTABILITY if rx.search(pattern))


def check_pattern(path: str, value: str) -> list[Issue]:
    """pattern: at most 1000 characters, compiles, and means the same outside Python."""
    if not value:
        return []
    if len(value) > c.MAX_PATTERN_LENGTH:
        return [
            Issue(
                path,
                ERROR,
                f"Use at most {c.MAX_PATTERN_LENGTH} characters (this has {len(value)}).",
                "too_long",
            )
        ]
    error, warnings = pattern_problems(value)
    if error:
        return [Issue(path, ERROR, error, "pattern_invalid")]
    return [
        Issue(path, WARNING, f"Uses {text}; Twilio may read it differently.", "pattern_portability")
        for text in warnings
    ]
