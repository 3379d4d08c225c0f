"""Compiling people's regex patterns within a time budget, once per distinct pattern.

`re.compile` of a pattern full of wide character ranges can take seconds, and a thread
cannot be stopped mid-compile. So patterns are compiled in a child process, each under
a SIGALRM budget, all of a request's new patterns in one child; the verdicts are kept in
this process and in Django's cache, so a pattern costs a compile once, not per keystroke.
"""

import hashlib
import json
import subprocess
import sys
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

OK, INVALID, TOO_SLOW, NESTED = "ok", "invalid", "too_slow", "nested"
# Not reached: the request's whole compile budget went to earlier patterns (not cached).
UNCHECKED = "unchecked"
# One request spends at most this many per-pattern budgets compiling new patterns.
BUDGETS_PER_REQUEST = 8
# Patterns this short hold at most one character range: compiling them here is cheap.
IN_PROCESS_LENGTH = 12
_KEPT = 4096
_verdicts: OrderedDict[tuple[str, float], tuple] = OrderedDict()

_CHILD = r"""
import json, re, signal, sys
budget = float(sys.argv[1])
class TooSlow(Exception):
    pass
def stop(*args):
    raise TooSlow
signal.signal(signal.SIGALRM, stop)
for pattern in json.load(sys.stdin):
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        re.compile(pattern)
        verdict = ["ok", None, None]
    except TooSlow:
        verdict = ["too_slow", None, None]
    except re.error as exc:
        verdict = ["invalid", exc.msg, exc.pos]
    except (RecursionError, OverflowError, MemoryError):
        verdict = ["nested", None, None]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout.write(json.dumps(verdict) + "\n")
    sys.stdout.flush()
"""


def _compile_here(pattern: str) -> tuple:
    import re

    try:
        re.compile(pattern)
    except re.error as exc:
        return (INVALID, exc.msg, exc.pos)
    except (RecursionError, OverflowError):
        return (NESTED, None, None)
    return (OK, None, None)


def _cache_key(pattern: str, budget: float) -> str:
    digest = hashlib.sha256(pattern.encode("utf-8", "surrogatepass")).hexdigest()
    return f"regex-verdict:{budget}:{digest}"


def _remember(key: tuple[str, float], verdict: tuple) -> None:
    _verdicts[key] = verdict
    _verdicts.move_to_end(key)
    while len(_verdicts) > _KEPT:
        _verdicts.popitem(last=False)


def _compile_in_child(patterns: list[str], budget: float) -> list[tuple]:
    """Verdicts in order; patterns the child did not reach in time are UNCHECKED."""
    try:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and code, data on stdin
            [sys.executable, "-I", "-S", "-c", _CHILD, str(budget)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:
        return [(UNCHECKED, None, None)] * len(patterns)
    limit = budget * min(len(patterns), BUDGETS_PER_REQUEST) + 2
    try:
        out, _ = child.communicate(json.dumps(patterns), timeout=limit)
    except subprocess.TimeoutExpired:
        child.kill()
        out, _ = child.communicate()
    found = []
    for line in (out or "").splitlines():
        try:
            found.append(tuple(json.loads(line)))
        except ValueError:
            break
    return (found + [(UNCHECKED, None, None)] * len(patterns))[: len(patterns)]


def verdicts(patterns) -> dict[str, tuple]:
    """(outcome, message, position) per pattern: OK, INVALID, TOO_SLOW or NESTED."""
    budget = settings.REGEX_COMPILE_BUDGET_SECONDS
    found: dict[str, tuple] = {}
    missing: list[str] = []
    for pattern in dict.fromkeys(patterns):
        known = _verdicts.get((pattern, budget))
        if known is None:
            known = cache.get(_cache_key(pattern, budget))
        if known is None and len(pattern) <= IN_PROCESS_LENGTH:
            known = _compile_here(pattern)
        if known is None:
            missing.append(pattern)
        else:
            found[pattern] = tuple(known)
            _remember((pattern, budget), tuple(known))
    if missing:
        for pattern, verdict in zip(missing, _compile_in_child(missing, budget), strict=True):
            found[pattern] = verdict
            if verdict[0] != UNCHECKED:
                _remember((pattern, budget), verdict)
                cache.set(_cache_key(pattern, budget), list(verdict), 24 * 60 * 60)
    return found


def verdict(pattern: str) -> tuple:
    """The verdict of one pattern (see `verdicts`)."""
    return verdicts([pattern])[pattern]
