"""What the builder's Check button answers: every issue of the draft in form order, each
named as a person finds it ("Trait 2 (email) pattern") and linked to its field."""

from dataclasses import dataclass

from memadmin.traitgroups.builder.state import ROW_FIELDS, dom_id
from memadmin.traitgroups.issues import Issue

# The builder's labels, lower-cased to follow "Trait 2 (email)"; keep them in step with
# builder.html, where each field's <label> is written.
ROW_FIELD_WORDS = {
    "name": "name",
    "dataType": "data type",
    "description": "description",
    "idTypePromotion": "identifier type promotion",
    "pattern": "pattern",
    "minLength": "min length",
    "maxLength": "max length",
    "min": "min",
    "max": "max",
    "minItems": "min items",
    "maxItems": "max items",
}
GROUP_FIELD_WORDS = {"displayName": "Display name", "description": "Description"}
# Issues about the list of traits as a whole lead to its heading (builder.html).
TRAITS_TARGET = "traits-heading"


@dataclass(frozen=True)
class Finding:
    """One issue as the summary lists it: where, what, and the id of the element to focus."""

    where: str
    message: str
    target: str
    is_error: bool


@dataclass(frozen=True)
class CheckSummary:
    problems: tuple[Finding, ...]
    warnings: tuple[Finding, ...]

    @property
    def headline(self) -> str:
        """ "3 problems to fix", "No problems; 1 warning", "No problems found"."""
        problems, warnings = len(self.problems), len(self.warnings)
        warned = f"{warnings} warning{'s' if warnings != 1 else ''}"
        if not problems:
            return f"No problems; {warned}" if warnings else "No problems found"
        found = f"{problems} problem{'s' if problems != 1 else ''} to fix"
        return f"{found} and {warned}" if warnings else found


def summarize(issues: list[Issue], draft: dict) -> CheckSummary:
    """The issues of `draft` as the Check summary lists them: errors first, in form order."""
    rows = {str(row["key"]): (position, row) for position, row in enumerate(draft["traits"], 1)}
    placed = [(place, issue) for issue in issues if (place := _place(issue, rows))]
    placed.sort(key=lambda pair: pair[0][0])  # stable: a field's issues keep their order
    listed = tuple(
        Finding(where, issue.message, target, issue.is_error)
        for (_order, where, target), issue in placed
    )
    return CheckSummary(
        problems=tuple(f for f in listed if f.is_error),
        warnings=tuple(f for f in listed if not f.is_error),
    )


def _place(issue: Issue, rows: dict) -> tuple[tuple, str, str] | None:
    """Where an issue sits on the form (an order key), its words and its field's id."""
    if issue.path in GROUP_FIELD_WORDS:
        order = (0, list(GROUP_FIELD_WORDS).index(issue.path), 0)
        return order, GROUP_FIELD_WORDS[issue.path], f"f-{issue.path}"
    if issue.path == "traits":
        return (1, 0, 0), "Traits", TRAITS_TARGET
    _, key, field = [*issue.path.split(".", 2), "", ""][:3]
    if key not in rows or field not in ROW_FIELD_WORDS:
        return None  # a row removed since, or a field the form does not show
    position, row = rows[key]
    named = f" ({row['name']})" if row.get("name") else ""
    where = f"Trait {position}{named} {ROW_FIELD_WORDS[field]}"
    return (2, position, ROW_FIELDS.index(field)), where, f"f-{dom_id(issue.path)}"
