"""Adding, removing and duplicating trait rows of a draft, within the 95-trait limit."""

from memadmin.traitgroups import builder_state
from memadmin.traitgroups import constraints as c


def apply_row_action(action: str, draft: dict) -> str:
    """Add/remove/duplicate for the no-JavaScript path; returns a message or ""."""
    verb, _, raw_key = action.partition("-")
    if verb == "add":
        if len(draft["traits"]) >= c.MAX_TRAITS_PER_GROUP:
            return limit_message()
        draft["traits"].append(builder_state.blank_row(builder_state.next_key(draft)))
        return ""
    rows = draft["traits"]
    index = next((i for i, r in enumerate(rows) if str(r["key"]) == raw_key), None)
    if index is None:
        return ""
    if verb == "remove":
        rows.pop(index)
    elif verb == "duplicate":
        if len(rows) >= c.MAX_TRAITS_PER_GROUP:
            return limit_message()
        rows.insert(index + 1, duplicate_of(rows[index], builder_state.next_key(draft)))
    return ""


def limit_message() -> str:
    return (
        f"A trait group holds at most {c.MAX_TRAITS_PER_GROUP} traits: "
        "remove one before adding another."
    )


def duplicate_of(row: dict, key: int) -> dict:
    copy = dict(row, key=key)
    copy["name"] = f"{row['name']}Copy" if row.get("name") else ""
    return copy
