"""A refused action and the HTTP status a view answers with it.

Low in the layers so that every app's policy (reviews', the dry run's) speaks the same way.
"""

from dataclasses import dataclass

FORBIDDEN = 403  # the person may not do this at all
CONFLICT = 409  # the person may, but not to the object in its present state


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: `status` is the HTTP status a view answers with."""

    status: int
    message: str
