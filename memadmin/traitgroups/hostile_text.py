"""Text from people made safe to store and render: lone surrogates and NUL characters.

A lone surrogate (JSON `"\\ud800"`) cannot be encoded as UTF-8, so a page showing it
fails; PostgreSQL refuses NUL in text and jsonb. Surrogates become U+FFFD (the
replacement character, what a browser shows for broken text); NUL is refused, since
silently dropping characters would change what a person typed.
"""

NUL = "\x00"
REFUSED_NUL = "Text cannot contain NUL characters (\\u0000)."


class NulInText(ValueError):
    """The text carries a NUL character, which no field of memadmin can store."""

    def __init__(self) -> None:
        super().__init__(REFUSED_NUL)


def clean_text(text: str) -> str:
    """`text` with lone surrogates replaced; raises NulInText if it holds a NUL."""
    if NUL in text:
        raise NulInText
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean_document(value):
    """A parsed JSON document with every string (keys too) passed through `clean_text`.

    Iterative, so that a deeply nested document cannot exhaust the stack here either.
    """
    root = [value]
    stack = [(root, 0)]
    while stack:
        container, key = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = clean_text(item)
        elif isinstance(item, list):
            stack.extend((item, index) for index in range(len(item)))
        elif isinstance(item, dict):
            cleaned = {clean_text(k) if isinstance(k, str) else k: v for k, v in item.items()}
            item.clear()
            item.update(cleaned)
            stack.extend((item, k) for k in item)
    return root[0]
