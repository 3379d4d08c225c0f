"""The builder's state: the draft a form POST carries, and its TraitGroupRequest body.

A *draft* is a plain dict: `displayName`, `description` and `traits`, a list of rows.
Each row carries a stable `key` (its form prefix, `traits-<key>-…`) and the raw values
of its fields, so that a validation error never throws a person's input away. Rows are
added, removed and duplicated by one function, `change_rows`, for htmx and plain posts.
"""

import json

from django.core.exceptions import BadRequest
from django.http import HttpRequest

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import hostile_text
from memadmin.traitgroups.validation import parse_number

ROW_FIELDS = ("name", "dataType", "description", "idTypePromotion", *c.ALL_RULE_FIELDS)
# More rows than this in one POST is not a person using the builder.
MAX_ROWS_ACCEPTED = 400


def path_for_input(name: str) -> str:
    """`traits-3-name` → `traits.3.name`; `displayName` stays itself."""
    return name.replace("-", ".") if name.startswith("traits-") else name


def dom_id(path: str) -> str:
    """The id fragment of a field path: `traits.3.name` → `traits-3-name`."""
    return path.replace(".", "-")


def submitted_form(request: HttpRequest) -> dict:
    """The builder form a request carries, as a plain dict of strings.

    The builder's htmx requests send the form as JSON (see builder.js): a keystroke's
    request carries the whole form, and `json.loads` reads it many times faster than
    Django's form parsing. Plain form posts (no JavaScript) arrive as `request.POST`.
    """
    if request.content_type == "application/json":
        try:
            data = hostile_text.clean_document(json.loads(request.body))
        except hostile_text.NulInText as exc:
            raise BadForm(str(exc)) from None
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: ~200,000 nested brackets; ValueError: a 5,000-digit number.
            raise BadForm("The form data is not valid JSON.") from None
        if not isinstance(data, dict):
            raise BadForm("The form data is not a JSON object.")
        keys = data.pop("trait_keys", [])
        # Shaped like a form post from here on: every value a string, as request.POST gives.
        form = {str(name): _form_value(value) for name, value in data.items()}
        form["trait_keys"] = [_form_value(k) for k in (keys if isinstance(keys, list) else [keys])]
        return form
    form = request.POST.dict()
    form["trait_keys"] = request.POST.getlist("trait_keys")
    return form


def _form_value(value) -> str:
    """What a browser would have sent for a JSON value: the last of a list, text otherwise."""
    if isinstance(value, list):
        value = value[-1] if value else ""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


class BadForm(BadRequest):
    """A request whose body is not a builder form."""


def draft_from_post(data: dict) -> dict:
    """The draft a builder form submitted (see submitted_form), in row order; unknown keys
    are ignored."""
    rows = []
    seen = set()
    for raw_key in data.get("trait_keys", [])[:MAX_ROWS_ACCEPTED]:
        try:
            key = int(raw_key)
        except (TypeError, ValueError):
            continue
        if key < 0 or key in seen:
            continue
        seen.add(key)
        prefix = f"traits-{key}-"
        row = {"key": key}
        for field in ROW_FIELDS:
            row[field] = _text(data.get(prefix + field, ""))
        rows.append(row)
    return {
        "displayName": _text(data.get("displayName", "")),
        "description": _text(data.get("description", "")),
        "traits": rows,
    }


def _text(value) -> str:
    if isinstance(value, list):  # a repeated field: the last one wins, as in QueryDict.get
        value = value[-1] if value else ""
    return value if isinstance(value, str) else ""


def blank_row(key: int) -> dict:
    row = dict.fromkeys(ROW_FIELDS, "")
    row["key"] = key
    row["dataType"] = "STRING"
    return row


def next_key(draft: dict) -> int:
    return max((row["key"] for row in draft["traits"]), default=-1) + 1


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


def draft_from_definition(definition: dict | None) -> dict:
    """The draft for a stored TraitGroupRequest/TraitGroup body (traits as a name map)."""
    definition = definition or {}
    rows = []
    for key, (name, trait) in enumerate((definition.get("traits") or {}).items()):
        trait = trait or {}
        rule = trait.get("validationRule") or {}
        row = blank_row(key)
        row.update(
            name=name,
            dataType=trait.get("dataType", ""),
            description=trait.get("description", "") or "",
            idTypePromotion=trait.get("idTypePromotion", "") or "",
        )
        for field in c.ALL_RULE_FIELDS:
            if rule.get(field) is not None:
                row[field] = rule[field]
        rows.append(row)
    return {
        "displayName": definition.get("displayName", "") or "",
        "description": definition.get("description", "") or "",
        "traits": rows,
    }


def _rule_value(field: str, value):
    if field == "pattern":
        return value or None
    try:
        return parse_number(value, integer=field in c.INTEGER_RULE_FIELDS)
    except ValueError:
        return None


def definition_from_draft(draft: dict) -> dict:
    """Exactly the TraitGroupRequest body the builder would send for this draft."""
    body: dict = {"displayName": draft.get("displayName", "")}
    if draft.get("description"):
        body["description"] = draft["description"]
    traits: dict = {}
    for row in draft.get("traits") or []:
        name = row.get("name", "")
        if not name or name in traits:
            continue
        data_type = row.get("dataType", "")
        trait: dict = {"dataType": data_type}
        if row.get("description"):
            trait["description"] = row["description"]
        rule = {}
        for field in c.RULE_FIELDS.get(data_type, ()):
            value = _rule_value(field, row.get(field))
            if value is not None:
                rule[field] = value
        if rule:
            trait["validationRule"] = {"ruleType": data_type, **rule}
        if row.get("idTypePromotion"):
            trait["idTypePromotion"] = row["idTypePromotion"]
        traits[name] = trait
    body["traits"] = traits
    return body
