"""Adding, removing and duplicating a draft's trait rows, within the 95-trait limit.

One function for both paths: htmx's row endpoints and the no-JavaScript form post.
"""

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups.builder.state import blank_row, next_key

ROW_OPERATIONS = ("add", "remove", "duplicate")
LIMIT_MESSAGE = (
    f"A trait group holds at most {c.MAX_TRAITS_PER_GROUP} traits: "
    "remove one before adding another."
)


class TraitLimitReached(Exception):
    """A row would take the draft past the 95-trait limit."""


class NoSuchRow(LookupError):
    """The draft has no row with that key."""


def change_rows(draft: dict, operation: str, key: int | None = None) -> dict | None:
    """Adds a blank row, or removes or duplicates the row `key`, in place.

    Returns the new row (None after a removal); raises NoSuchRow when there is no row
    `key` to duplicate and TraitLimitReached when a row would be one too many.
    """
    rows = draft["traits"]
    if operation == "remove":  # a row already gone (a double click) is no error
        rows[:] = [row for row in rows if row["key"] != key]
        return None
    index = next((i for i, row in enumerate(rows) if row["key"] == key), None)
    if operation == "duplicate" and index is None:
        raise NoSuchRow(key)
    if len(rows) >= c.MAX_TRAITS_PER_GROUP:
        raise TraitLimitReached(LIMIT_MESSAGE)
    if operation == "add":
        rows.append(blank_row(next_key(draft)))
        return rows[-1]
    name = rows[index]["name"]
    copy = dict(rows[index], key=next_key(draft), name=f"{name}Copy" if name else "")
    rows.insert(index + 1, copy)
    return copy
