"""Row ids that arrive as text from a person's browser: a form field, a button's value."""

# The largest id a database column (bigint, SQLite's integer) holds; a bigger one makes
# SQLite's driver raise OverflowError, a 500, before the database could say "no such row".
MAX_ROW_ID = 2**63 - 1


def as_row_id(text: object) -> int | None:
    """`text` as a row id, or None when it cannot be one.

    Only ASCII digits count: str.isdigit() also accepts "²", which int() refuses, and
    int() accepts other scripts' digits, which no link or form of memadmin ever sends.
    """
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ROW_ID else None
