"""What the builder's templates need: a draft, its issues by field, and the htmx URLs."""

import hashlib
import json
from functools import cached_property

from django.urls import reverse

from memadmin.fragment_cache import fragment_cache_seconds
from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import selectors, validation
from memadmin.traitgroups.builder.check import summarize
from memadmin.traitgroups.builder.state import ROW_FIELDS, definition_from_draft
from memadmin.traitgroups.issues import NO_ISSUES, FieldState, field_states

EDIT = "traitgroups.edit_draft"
TEMPLATE = "traitgroups/builder.html"
ENDPOINTS = (
    "validate",
    "check",
    "preview",
    "add_trait",
    "remove_trait",
    "duplicate_trait",
    "rule_fields",
    "import",
)
LIMITS = {
    "MAX_TRAITS_PER_GROUP": c.MAX_TRAITS_PER_GROUP,
    "MAX_DISPLAY_NAME_LENGTH": c.MAX_DISPLAY_NAME_LENGTH,
    "MAX_DESCRIPTION_LENGTH": c.MAX_DESCRIPTION_LENGTH,
}


def load_validation_context(store_id: str, fixed_name: str | None, *, fetch: bool = False):
    """What a draft of this store is checked against; `fixed_name` when it edits a group."""
    return selectors.validation_context(
        store_id, fixed_display_name=fixed_name or None, fetch=fetch
    )


def description_hint(description: str) -> str:
    left = c.MAX_DESCRIPTION_LENGTH - len(description)
    if left >= 0:
        return f"{left} of {c.MAX_DESCRIPTION_LENGTH} characters left."
    return ""


def row_view(row: dict, position: int, states: dict[str, FieldState]) -> dict:
    """A trait row as its template shows it: values, DOM prefix, position and issues."""
    prefix = f"traits.{row['key']}."
    view = dict(row)
    view["mid"] = f"traits-{row['key']}"
    view["position"] = position
    # Every field has a state, most of them NO_ISSUES: a template lookup that fails costs
    # Django an exception and a dir() each, and a 95-trait page makes thousands of them.
    view["states"] = {field: states.get(prefix + field, NO_ISSUES) for field in ROW_FIELDS}
    # The rule values of the row's other data types ride along hidden until the draft is
    # saved, so STRING → NUMBER → STRING gives the pattern back; only the chosen type's
    # rule reaches the saved definition (definition_from_draft).
    shown = set(c.RULE_FIELDS.get(row.get("dataType"), ()))
    view["kept_rules"] = [
        (field, row[field]) for field in c.ALL_RULE_FIELDS if field not in shown and row.get(field)
    ]
    view["digest"] = _row_digest(view)
    return view


def _row_digest(view: dict) -> str:
    """Names everything a trait row's HTML is made of, so that the rendered row can be
    cached under it (`{% cache %}` in the template): 95 rows were most of a page's cost."""
    content = [
        view["position"],
        [view.get(field, "") for field in ("key", *ROW_FIELDS)],
        [
            [field, state.invalid, [[i.severity, i.message] for i in state.issues]]
            for field, state in view["states"].items()
            if state is not NO_ISSUES
        ],
    ]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


class RowViews:
    """A draft's trait rows as the templates show them (row_view, and `locked` for the
    built-in traits of a protected group), made when first asked for: a page whose rows
    all come from the cache (`rows_digest`) never needs them."""

    def __init__(self, traits: list[dict], states: dict[str, FieldState], locked: list[bool]):
        self._traits, self._states, self._locked = traits, states, locked

    @cached_property
    def views(self) -> list[dict]:
        rows = zip(self._traits, self._locked, strict=True)
        return [
            {**row_view(row, position, self._states), "locked": locked}
            for position, (row, locked) in enumerate(rows, start=1)
        ]

    def __iter__(self):
        return iter(self.views)

    def __len__(self) -> int:
        return len(self.views)


def rows_digest(traits: list[dict], states: dict[str, FieldState], locked: list[bool]) -> str:
    """Names everything the trait rows' HTML is made of (what each row_view's digest names,
    in one go), so that all the rows are cached as one block under it: 95 look-ups of a
    row each, or 95 digests, cost more than the one look-up of them all."""
    rows = [
        [[row.get(field, "") for field in ("key", *ROW_FIELDS)], row_locked]
        for row, row_locked in zip(traits, locked, strict=True)
    ]
    issues = [
        [path, state.invalid, [[i.severity, i.message] for i in state.issues]]
        for path, state in states.items()
        if path.startswith("traits.")
    ]
    return hashlib.sha256(json.dumps([rows, issues], default=str).encode()).hexdigest()


def preview_json(definition: dict) -> str:
    return json.dumps(definition, indent=2, ensure_ascii=False)


def endpoint_urls(store_id: str) -> dict:
    """`validate_url`, `add_trait_url`…: where the builder's buttons and fields post."""
    return {f"{name}_url": reverse(f"traitgroups:{name}", args=[store_id]) for name in ENDPOINTS}


def builder_context(
    *,
    draft: dict,
    store_id: str,
    revision=None,
    lock_version: int | None = None,
    fixed_name: str | None = None,
    fetch: bool = False,
    show_issues: bool = True,
    check: bool = False,
    **extra,
) -> dict:
    """Everything the builder page (or one of its partials) renders from, `draft` checked
    by the validator; `fetch` asks Twilio for what the cache lacks (see validation_context);
    `check` adds the summary the Check button answers with."""
    rules = load_validation_context(store_id, fixed_name, fetch=fetch)
    issues = validation.validate(draft, rules) if show_issues else []
    states = field_states(issues)
    if revision is not None:
        form_action = reverse("traitgroups:revision", args=[revision.pk])
    else:
        form_action = reverse("traitgroups:new", args=[store_id])
    built_in = c.PROTECTED_TRAIT_GROUPS.get(fixed_name or "", ())
    locked = [row.get("name") in built_in for row in draft["traits"]]
    definition = definition_from_draft(draft)
    return {
        "draft": draft,
        # What Save draft would store, for the preview and the impact panel.
        "definition": definition,
        "rows": RowViews(draft["traits"], states, locked),
        "rows_digest": rows_digest(draft["traits"], states, locked),
        "issues": issues,
        "states": states,
        "store_id": store_id,
        "revision": revision,
        "lock_version": lock_version
        if lock_version is not None
        else getattr(revision, "lock_version", ""),
        "fixed_name": fixed_name,
        "id_types": rules.id_types or (),
        "data_types": c.DATA_TYPES,
        "limits": LIMITS,
        "trait_count": len(draft["traits"]),
        "description_hint": description_hint(draft.get("description", "")),
        "preview_json": preview_json(definition),
        "form_action": form_action,
        **endpoint_urls(store_id),
        # What the row partials' `with` leaves unset, so their lookups do not fail (see row_view).
        "oob": False,
        "hint": "",
        "flist": "",
        "fclass": "",
        "ftype": "",
        "limit_message": "",
        "check_summary": summarize(issues, draft) if check else None,
        # A rendered row is cached under the digest of what it shows (see row_view).
        "row_cache_seconds": fragment_cache_seconds(),
        **extra,
    }
