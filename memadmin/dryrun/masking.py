"""Masking customer values for examples: enough to recognise a shape, never the value.

`a***@e***.com`, `+1******4567`, `(3**) ***-4567`: an example shows why a value breaks
a rule (case, punctuation, length) without telling anyone whose value it is. This is
the only place a trait value is turned into text that may be stored or shown.
"""

import re
from typing import Any

STARS = "***"
_EMAIL = re.compile(r"^([^@\s]+)@([^@\s]+?)(\.[A-Za-z]{2,})?$")
_PHONE = re.compile(r"^[+()\d][\d\s().\-]*$")


def mask(value: Any) -> str:
    """A masked rendering of a trait value; it never contains the whole value."""
    if isinstance(value, bool):
        return "(a boolean)"
    if isinstance(value, int | float):
        return _mask_number(value)
    if isinstance(value, list):
        return f"(an array of {len(value)} item{'' if len(value) == 1 else 's'})"
    if not isinstance(value, str):
        return f"(a {type(value).__name__})"
    if (email := _EMAIL.match(value)) is not None:
        local, domain, tld = email.groups()
        return f"{local[0]}{STARS}@{domain[0]}{STARS}{tld or ''}"
    digits = sum(ch.isdigit() for ch in value)
    if _PHONE.match(value) and digits >= 7:
        return _mask_phone(value, digits)
    if len(value) <= 2:
        return STARS
    if len(value) <= 5:
        return value[0] + STARS
    return value[0] + STARS + value[-1]


def _mask_phone(value: str, digits: int) -> str:
    """Keeps punctuation, the first digit and the last four; every other digit is a star."""
    seen, masked = 0, []
    for ch in value:
        if ch.isdigit():
            seen += 1
            keep = seen == 1 or seen > digits - 4
            masked.append(ch if keep else "*")
        else:
            masked.append(ch)
    return "".join(masked)


def _mask_number(value: int | float) -> str:
    text = str(value)
    sign = "-" if text.startswith("-") else ""
    body = text.removeprefix("-")
    if len(body) <= 2:
        return f"{sign}**"
    return sign + body[0] + "*" * (len(body) - 1)
