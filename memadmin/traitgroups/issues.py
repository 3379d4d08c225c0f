"""What the validator reports: issues keyed by field path, and their state per field."""

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

# Issue codes that make a draft impossible to store as a TraitGroupRequest body.
BLOCKS_SAVE = frozenset({"trait_name_missing", "trait_name_duplicate", "not_a_number"})


@dataclass(frozen=True, slots=True)
class Issue:
    path: str
    severity: str
    message: str
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(slots=True)
class FieldState:
    """The issues of one form field, as its template shows them."""

    issues: list[Issue] = field(default_factory=list)
    invalid: bool = False


# The state of a field without issues; shared, so never to be changed.
NO_ISSUES = FieldState(issues=(), invalid=False)


def field_states(issues: list[Issue]) -> dict[str, FieldState]:
    """Issues grouped by field path; a field with an error is invalid."""
    states: dict[str, FieldState] = {}
    for issue in issues:
        state = states.get(issue.path)
        if state is None:
            state = states[issue.path] = FieldState()
        state.issues.append(issue)
        if issue.severity == ERROR:
            state.invalid = True
    return states
