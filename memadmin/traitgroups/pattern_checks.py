"""Checks of a STRING rule's regex `pattern`: it compiles, and reads the same outside Python.

Twilio's validators are not Python; constructs that `re` accepts but JavaScript or Java
read differently earn a warning rather than an error.
"""

import functools
import re

from django.conf import settings

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import regex_budget
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


def pattern_problems(pattern: str) -> tuple[str | None, tuple[str, ...]]:
    """(why it cannot be used or None, portability warnings) for a regex.

    Compiling happens within a time budget, once per distinct pattern (`regex_budget`).
    """
    outcome, message, position = regex_budget.verdict(pattern)
    if outcome == regex_budget.INVALID:
        where = f" at position {position}" if position is not None else ""
        return f"This regular expression does not compile: {message}{where}.", ()
    if outcome == regex_budget.NESTED:
        return "This regular expression is too deeply nested to compile.", ()
    if outcome == regex_budget.TOO_SLOW:
        return (
            "This regular expression takes too long to compile (over "
            f"{settings.REGEX_COMPILE_BUDGET_SECONDS:g} s): use fewer or narrower "
            "character ranges.",
            (),
        )
    if outcome == regex_budget.UNCHECKED:
        return (
            "This regular expression could not be checked in time, because other patterns "
            "took long to compile: simplify those, or check again.",
            (),
        )
    return None, _portability(pattern)


@functools.lru_cache(maxsize=2048)
def _portability(pattern: str) -> tuple[str, ...]:
    return tuple(text for rx, text in _PORTABILITY if rx.search(pattern))


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
