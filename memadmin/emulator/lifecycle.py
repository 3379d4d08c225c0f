"""Asynchronous operations: accepted now, applied when their time comes.

An operation is PENDING for `step_seconds`, RUNNING for another `step_seconds`, then
COMPLETED or FAILED. Nothing runs in the background: every request first *settles*
the operations whose time has come, in the order they were accepted, so the change
shows up on whichever endpoint is read next, even by a client that never polls the
operation (the official library's `delete()` does not even see its id).
"""

import copy
import itertools
import secrets
import string
import time
from typing import Any

from memadmin.emulator import contract as c
from memadmin.emulator import mapping_state

Document = dict[str, Any]

# Settled operations kept for polling; older ones are forgotten (404), as a real
# service would eventually expire them.
MAX_REMEMBERED_OPERATIONS = 1000
_ID_ALPHABET = string.digits + string.ascii_lowercase


_ID_DIGITS = 26  # one of 0-7, then 25 base-36 digits


def new_operation_id() -> str:
    """A TTID-shaped random id; random so ids never repeat across resets or processes."""
    return new_ttid("mem_operation_")


def new_ttid(prefix: str) -> str:
    """`prefix` then one of 0-7 and 25 base-36 digits, drawn at random."""
    # One draw from the OS, spelled in base 36: a `secrets.choice` per character costs
    # a system call each, a fifth of the emulator's time per write.
    value = secrets.randbelow(8 * 36 ** (_ID_DIGITS - 1))
    digits = []
    for _ in range(_ID_DIGITS):
        value, digit = divmod(value, 36)
        digits.append(_ID_ALPHABET[digit])
    return prefix + "".join(reversed(digits))


def accept(
    document: Document,
    *,
    kind: str,
    store_id: str,
    name: str | None,
    request: dict[str, Any],
    now: float,
    step_seconds: float,
    if_match_version: int | None = None,
    injected_failure: str | None = None,
    group_limit: int = c.MAX_TRAIT_GROUPS_PER_STORE,
    resource_id: str | None = None,
) -> dict[str, Any]:
    """Record a change to apply at `now + 2 * step_seconds`; returns the operation.

    A trait group's operation names the group (`name`); a data mapping's (kinds in
    `mapping_state.KINDS`) has no group name and carries the mapping's id instead.
    """
    document["sequence"] += 1
    operation = {
        "operationId": new_operation_id(),
        "kind": kind,
        "storeId": store_id,
        "traitGroupName": name,
        "request": request,
        "ifMatchVersion": if_match_version,
        "injectedFailure": injected_failure,
        "createdAt": now,
        "runningAt": now + step_seconds,
        "dueAt": now + 2 * step_seconds,
        "seq": document["sequence"],
        "outcome": None,
        "groupLimit": group_limit,
        "resourceId": resource_id,
    }
    document["operations"][operation["operationId"]] = operation
    _unsettled_ids(document).append(operation["operationId"])
    return operation


def settle(document: Document, now: float) -> None:
    """Apply, in acceptance order, every operation whose time has come."""
    operations = document["operations"]
    waiting = _unsettled_ids(document)
    due = [operations[op_id] for op_id in waiting if operations[op_id]["dueAt"] <= now]
    if due:
        for operation in sorted(due, key=lambda op: (op["dueAt"], op["seq"])):
            operation["outcome"] = _apply(document, operation)
        document["unsettled"] = [op_id for op_id in waiting if operations[op_id]["outcome"] is None]
    _forget_old(document)


def has_work(document: Document, now: float) -> bool:
    """Whether `settle` would change anything: a read that finds none need not write."""
    operations = document["operations"]
    if "unsettled" not in document or len(operations) > MAX_REMEMBERED_OPERATIONS:
        return True
    return any(operations[op_id]["dueAt"] <= now for op_id in document["unsettled"])


def in_flight(document: Document, store_id: str) -> list[dict[str, Any]]:
    """The store's operations accepted but not yet applied, in acceptance order."""
    operations = document["operations"]
    return [
        operations[op_id]
        for op_id in _unsettled_ids(document)
        if operations[op_id]["storeId"] == store_id
    ]


def _unsettled_ids(document: Document) -> list[str]:
    """Ids of operations not yet applied, kept so a request need not scan every operation.

    A state file written before the list existed gets it built once, here.
    """
    if "unsettled" not in document:
        document["unsettled"] = [
            op_id for op_id, op in document["operations"].items() if op["outcome"] is None
        ]
    return document["unsettled"]


def status_of(operation: dict[str, Any], now: float) -> str:
    """PENDING, RUNNING, or the settled outcome's status."""
    if operation["outcome"] is not None:
        return operation["outcome"]["status"]
    return c.PENDING if now < operation["runningAt"] else c.RUNNING


def seconds_to_next_status(operation: dict[str, Any], now: float) -> float | None:
    """How long a poller should wait; None once the operation is terminal."""
    if operation["outcome"] is not None:
        return None
    boundary = operation["runningAt"] if now < operation["runningAt"] else operation["dueAt"]
    return max(0.0, boundary - now)


def iso8601(timestamp: float) -> str:
    """Whole seconds with a `Z`: the only format the official library parses."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def _apply(document: Document, operation: dict[str, Any]) -> dict[str, Any]:
    groups = document["stores"][operation["storeId"]]["traitGroups"]
    name = operation["traitGroupName"]
    if operation["injectedFailure"] is not None:
        return _failed(500, "Operation failed", operation["injectedFailure"])
    if operation["kind"] in mapping_state.KINDS:
        failure = mapping_state.apply(document, operation)
        return {"status": c.COMPLETED} if failure is None else _failed(*failure)
    if operation["kind"] == "create":
        if name in groups:
            return _failed(
                409,
                "Trait group already exists",
                f"A trait group named '{name}' already exists in store {operation['storeId']}.",
            )
        limit = operation.get("groupLimit", c.MAX_TRAIT_GROUPS_PER_STORE)
        if len(groups) >= limit:
            return _failed(
                400,
                "Trait group limit reached",
                f"Store {operation['storeId']} already holds {len(groups)} trait groups; "
                f"at most {limit} are allowed.",
            )
        request = operation["request"]
        groups[name] = {
            "displayName": name,
            **({"description": request["description"]} if "description" in request else {}),
            "traits": copy.deepcopy(request.get("traits", {})),
            "version": 1,
            "createdSeq": operation["seq"],
        }
        return {"status": c.COMPLETED}
    group = groups.get(name)
    if group is None:
        return _failed(404, "Trait group not found", f"Trait group '{name}' no longer exists.")
    if operation["kind"] == "delete":
        del groups[name]
        return {"status": c.COMPLETED}
    expected = operation["ifMatchVersion"]
    if expected is not None and group["version"] != expected:
        return _failed(
            412,
            "Precondition failed",
            f"Trait group '{name}' changed to version {group['version']} before this update "
            f"(made against version {expected}) could be applied.",
        )
    changes = copy.deepcopy(operation["request"].get("traits", {}))
    traits = merged_traits(group["traits"], changes)
    if len(traits) > c.MAX_TRAITS_PER_GROUP:
        return _failed(
            400,
            "Too many traits",
            f"The update would leave {len(traits)} traits; at most "
            f"{c.MAX_TRAITS_PER_GROUP} are allowed.",
        )
    group["traits"] = traits
    if "description" in operation["request"]:
        group["description"] = operation["request"]["description"]
    group["version"] += 1
    return {"status": c.COMPLETED}


def merged_traits(
    current: dict[str, dict[str, Any]], changes: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """PATCH semantics: `dataType: ""` removes a trait, anything else replaces it whole."""
    traits = dict(current)
    for trait_name, definition in changes.items():
        if definition["dataType"] == c.REMOVE_TRAIT_MARKER:
            traits.pop(trait_name, None)
        else:
            traits[trait_name] = definition
    return traits


def _failed(status: int, title: str, detail: str) -> dict[str, Any]:
    code = c.ERROR_CODES[status]
    return {
        "status": c.FAILED,
        "error": {
            "type": f"https://www.twilio.com/docs/api/errors/{code}",
            "title": title,
            "code": code,
            "detail": detail[:1024],
        },
    }


def _forget_old(document: Document) -> None:
    operations = document["operations"]
    excess = len(operations) - MAX_REMEMBERED_OPERATIONS
    if excess <= 0:
        return
    # Operations are added in acceptance order and dicts keep it (JSON round trips too),
    # so the oldest settled ones come first: no sort, and the scan stops early.
    settled = (op_id for op_id, op in operations.items() if op["outcome"] is not None)
    for operation_id in list(itertools.islice(settled, excess)):
        del operations[operation_id]
